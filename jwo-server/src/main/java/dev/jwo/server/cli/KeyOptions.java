package dev.jwo.server.cli;

import dev.jwo.compliance.keys.EnvironmentKeyProvider;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the store's keys (vault, subject and token signing key) come from: the environment ({@code JWO_VAULT_KEY},
 * {@code JWO_SUBJECT_KEY}, {@code JWO_TOKEN_KEY}), a key folder, the folder of {@code --vault-key}, a retailer's
 * {@link StoreKeyProvider} class ({@code --key-provider}, e.g. a key-management service's), or, to try the server
 * out, memory ({@code --dev-keys}). Never the data directory: without one of them the command refuses, and keys an
 * earlier release left in the data directory are moved to the key folder named (or refused, naming how to move
 * them).
 */
final class KeyOptions {
  /** What a command that needs the store's keys prints when none are given. */
  static final String HOW = "give the store's keys from a place of their own, never beside the data: --key-dir DIR"
      + " (a folder on other media; vault.key and subject.key are created there on first start), --vault-key FILE,"
      + " or the environment variables " + EnvironmentKeyProvider.VAULT_KEY + " and " + EnvironmentKeyProvider.SUBJECT_KEY
      + " (each the base64 of 32 random bytes: openssl rand -base64 32) with " + EnvironmentKeyProvider.TOKEN_KEY
      + " (the token signing key as PEM), or --key-provider CLASS, a StoreKeyProvider of yours on the class path"
      + " such as a key-management service's (docs/SECURITY.md). To try the server out on a fresh embedded database, --dev-keys holds"
      + " keys in memory for this process only";

  /** The embedded database's file in the data directory. */
  private static final String EMBEDDED_FILE = "jwo-store.mv.db";

  @Option(names = "--key-dir", paramLabel = "DIR",
      description = "the folder of the store's keys (vault.key, subject.key), created on first start; keep it on"
          + " other media than the data (never inside --data). Or give the keys in JWO_VAULT_KEY and JWO_SUBJECT_KEY"
          + " (base64 of 32 bytes)")
  @Nullable Path keyDir;

  @Option(names = "--vault-key", paramLabel = "FILE",
      description = "the biometric vault's master key file, created on first start, with subject.key beside it"
          + " (never inside --data)")
  @Nullable Path vaultKey;

  @Option(names = "--key-provider", paramLabel = "CLASS",
      description = "a StoreKeyProvider class on the class path (e.g. one that unwraps the keys with a key-management"
          + " service): public, with a public constructor taking the environment (Map<String, String>) or none")
  @Nullable String keyProvider;

  @Option(names = "--dev-keys",
      description = "for trying the server out only: keys held in memory for this process, never written. What the"
          + " store keeps cannot be read after it ends, so it needs a fresh embedded --data and refuses data kept"
          + " before")
  boolean devKeys;

  /**
   * The provider these options name.
   *
   * @param data the data directory, which must not hold the keys
   * @param embedded whether the store is kept in the embedded database in {@code data}
   * @param out where a moved key is reported
   * @throws IllegalArgumentException if no key is given, if the keys would lie in the data directory, or if the
   *     data directory holds keys that cannot be moved safely; the message says what to do
   */
  StoreKeyProvider provider(Map<String, String> environment, Path data, boolean embedded, PrintStream out) {
    boolean fromEnvironment = EnvironmentKeyProvider.applies(environment);
    int given = (fromEnvironment && keyProvider == null ? 1 : 0) + (keyDir != null ? 1 : 0)
        + (vaultKey != null ? 1 : 0) + (devKeys ? 1 : 0) + (keyProvider != null ? 1 : 0);
    if (given > 1) {
      throw new IllegalArgumentException("give the store keys one way only: " + EnvironmentKeyProvider.VAULT_KEY
          + " and " + EnvironmentKeyProvider.SUBJECT_KEY + ", --key-dir, --vault-key, --key-provider or --dev-keys");
    }
    List<Path> inData = keysIn(data);
    if (given == 0) {
      if (!inData.isEmpty()) {
        throw new IllegalArgumentException(foundInData(inData, data) + " Move them to other media: start again with"
            + " --key-dir DIR (a folder outside " + data + "; they are moved there at start-up), or give them in "
            + EnvironmentKeyProvider.VAULT_KEY + " and " + EnvironmentKeyProvider.SUBJECT_KEY
            + " (base64 -w0 FILE) and delete the files. Destroy any backup of " + data + " that holds them.");
      }
      throw new IllegalArgumentException("no key for the store: " + HOW + ".");
    }
    if (devKeys) {
      if (!embedded) {
        throw new IllegalArgumentException("--dev-keys is for trying the server out on a fresh embedded database;"
            + " a store on PostgreSQL needs keys of its own: " + HOW + ".");
      }
      if (!inData.isEmpty()) {
        throw new IllegalArgumentException(foundInData(inData, data) + " --dev-keys cannot read what they protect:"
            + " start with --key-dir DIR outside " + data + " to move them there.");
      }
      if (Files.exists(data.resolve(EMBEDDED_FILE))) {
        throw new IllegalArgumentException("--dev-keys holds keys in memory for one process only, and " + data
            + " holds a store kept before, whose keys are gone or elsewhere: give a fresh --data, or the keys that"
            + " store was started with.");
      }
      return StoreKeys.random();
    }
    if (keyProvider != null) {
      if (!inData.isEmpty()) {
        throw new IllegalArgumentException(foundInData(inData, data) + " The keys come from --key-provider "
            + keyProvider + ": put these keys there (or check it holds the same ones), then delete the files.");
      }
      return instantiate(keyProvider, environment);
    }
    if (fromEnvironment) {
      if (!inData.isEmpty()) {
        throw new IllegalArgumentException(foundInData(inData, data) + " The keys come from "
            + EnvironmentKeyProvider.VAULT_KEY + ", " + EnvironmentKeyProvider.SUBJECT_KEY + " and "
            + EnvironmentKeyProvider.TOKEN_KEY + ": check that they hold the same keys (base64 -w0 FILE; the token"
            + " key's PEM as it is), then delete the files.");
      }
      return new EnvironmentKeyProvider(environment);
    }
    KeyFileProvider files = keyDir != null ? KeyFileProvider.inFolder(keyDir) : KeyFileProvider.forVaultKeyFile(
        Objects.requireNonNull(vaultKey));
    Path folder = files.vaultKeyFile().toAbsolutePath().normalize().getParent();
    Path dataDir = data.toAbsolutePath().normalize();
    if (folder == null || folder.startsWith(dataDir)) {
      throw new IllegalArgumentException("the key folder " + folder + " lies inside the data directory " + data
          + ", beside the data the keys protect: put it on other media (" + HOW + ").");
    }
    if (!inData.isEmpty()) {
      moveKeys(inData, folder, data, out);
    }
    return files;
  }

  /** These options as {@code jwo token} takes them (the environment's keys are read from the environment). */
  String asArguments() {
    if (keyProvider != null) {
      return "--key-provider " + keyProvider;
    }
    if (keyDir != null) {
      return "--key-dir " + keyDir;
    }
    if (vaultKey != null) {
      return "--vault-key " + vaultKey;
    }
    return "(with " + EnvironmentKeyProvider.TOKEN_KEY + " in the environment)";
  }

  /**
   * Checks that {@code tokenKey}, a token key file named on its own ({@code --token-key}), lies outside the data
   * directory.
   */
  static Path outsideData(Path tokenKey, Path data) {
    if (tokenKey.toAbsolutePath().normalize().startsWith(data.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("the token key " + tokenKey + " lies inside the data directory " + data
          + ", beside the data: keep it with the store's other keys (" + HOW + "), or name a file elsewhere.");
    }
    return tokenKey;
  }

  /** The provider class {@code name}, made with the environment if it takes one. */
  static StoreKeyProvider instantiate(String name, Map<String, String> environment) {
    Class<?> type;
    try {
      type = Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--key-provider " + name + ": no such class on the class path", e);
    }
    if (!StoreKeyProvider.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("--key-provider " + name + ": not a key provider (it does not implement "
          + StoreKeyProvider.class.getName() + ")");
    }
    try {
      try {
        return (StoreKeyProvider) type.getConstructor(Map.class).newInstance(Map.copyOf(environment));
      } catch (NoSuchMethodException e) {
        return (StoreKeyProvider) type.getConstructor().newInstance();
      }
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException("--key-provider " + name + ": needs a public constructor taking the"
          + " environment (Map<String, String>) or none", e);
    } catch (InstantiationException | InvocationTargetException e) {
      throw new IllegalArgumentException("--key-provider " + name + ": its constructor failed: " + e.getCause(), e);
    }
  }

  /** The key files in {@code data}, if any. */
  private static List<Path> keysIn(Path data) {
    List<Path> found = new ArrayList<>();
    for (String name : List.of(KeyFileProvider.VAULT_KEY_FILE, KeyFileProvider.SUBJECT_KEY_FILE,
        KeyFileProvider.TOKEN_KEY_FILE)) {
      if (Files.exists(data.resolve(name))) {
        found.add(data.resolve(name));
      }
    }
    return found;
  }

  private static String foundInData(List<Path> found, Path data) {
    return "the data directory " + data + " holds the store's keys (" + String.join(", ",
        found.stream().map(p -> p.getFileName().toString()).toList()) + "), beside the data they protect, as an"
        + " earlier release kept them by default.";
  }

  /**
   * Moves the key files (and the audit checkpoints kept beside them) from the data directory to {@code folder}: a
   * file is copied, synced and only then removed from the data directory. A key file already in {@code folder}
   * with the same bytes leaves the data directory's copy to be removed; with other bytes, nothing is moved.
   */
  private static void moveKeys(List<Path> inData, Path folder, Path data, PrintStream out) {
    try {
      for (Path from : inData) {
        Path to = folder.resolve(from.getFileName());
        if (Files.exists(to) && !Arrays.equals(Files.readAllBytes(to), Files.readAllBytes(from))) {
          throw new IllegalArgumentException("both " + from + " and " + to + " hold a key, and they differ: the"
              + " store was started with one of them. Nothing was moved; keep the one the store's data was made"
              + " with (the other fails start-up with a wrong-key error) and delete the other.");
        }
      }
      Files.createDirectories(folder);
      List<Path> moved = new ArrayList<>(inData);
      try (Stream<Path> files = Files.list(data)) {
        files.filter(f -> f.getFileName().toString().startsWith("audit-checkpoints-")
            && f.getFileName().toString().endsWith(".jsonl") && !Files.exists(folder.resolve(f.getFileName())))
            .forEach(moved::add);
      }
      for (Path from : moved) {
        Path to = folder.resolve(from.getFileName());
        if (!Files.exists(to)) {
          Path partial = folder.resolve(from.getFileName() + ".partial");
          Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
          try (FileChannel sync = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            sync.force(true);
          }
          Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.delete(from);
      }
      out.println("moved the store's keys from the data directory " + data + " to " + folder + " ("
          + String.join(", ", moved.stream().map(p -> p.getFileName().toString()).toList()) + "); destroy any"
          + " backup of " + data + " taken before, which holds them");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot move the store's keys from " + data + " to " + folder + ": "
          + e.getMessage() + "; move vault.key, subject.key and "
          + KeyFileProvider.TOKEN_KEY_FILE + " there by hand", e);
    }
  }
}
