package dev.jwo.compliance.keys;

import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.security.TokenKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The store's keys in files of their own (readable by the owner only), created on first use: the vault master key
 * in one file (32 random bytes), the subject key in {@value #SUBJECT_KEY_FILE} (32 random bytes) and the token
 * signing key in {@value #TOKEN_KEY_FILE} (PEM) beside it. Keep them on other media than the data. A file is never
 * replaced once made: a lost or damaged key fails start-up.
 */
public final class KeyFileProvider implements StoreKeyProvider {
  /** The vault master key's file name in a key folder. */
  public static final String VAULT_KEY_FILE = "vault.key";
  /** The subject key's file name, beside the vault key. */
  public static final String SUBJECT_KEY_FILE = "subject.key";

  /** The token signing key's file name, beside the vault key. */
  public static final String TOKEN_KEY_FILE = "token-signing-key.pem";

  private final Path vaultKeyFile;
  private final Path subjectKeyFile;
  private final Path tokenKeyFile;

  private KeyFileProvider(Path vaultKeyFile, Path subjectKeyFile, Path tokenKeyFile) {
    this.vaultKeyFile = vaultKeyFile;
    this.subjectKeyFile = subjectKeyFile;
    this.tokenKeyFile = tokenKeyFile;
  }

  /** The keys {@value #VAULT_KEY_FILE}, {@value #SUBJECT_KEY_FILE} and {@value #TOKEN_KEY_FILE} in {@code folder}. */
  public static KeyFileProvider inFolder(Path folder) {
    return forVaultKeyFile(folder.resolve(VAULT_KEY_FILE));
  }

  /** The vault master key in {@code vaultKeyFile}, the other keys beside it. */
  public static KeyFileProvider forVaultKeyFile(Path vaultKeyFile) {
    return new KeyFileProvider(vaultKeyFile, vaultKeyFile.resolveSibling(SUBJECT_KEY_FILE),
        vaultKeyFile.resolveSibling(TOKEN_KEY_FILE));
  }

  /** The token signing key's file. */
  public Path tokenKeyFile() {
    return tokenKeyFile;
  }

  /** The vault master key's file. */
  public Path vaultKeyFile() {
    return vaultKeyFile;
  }

  @Override
  public VaultMasterKey vaultMasterKey() {
    return VaultMasterKey.of(read(vaultKeyFile, "vault"));
  }

  @Override
  public SubjectKey subjectKey() {
    return SubjectKey.of(read(subjectKeyFile, "subject"));
  }

  @Override
  public TokenKey tokenKey() {
    return tokenKeyIn(tokenKeyFile, true);
  }

  @Override
  public String describe() {
    return "key files " + vaultKeyFile + ", " + subjectKeyFile + " and " + tokenKeyFile;
  }

  /**
   * The token signing key in the PEM file {@code file} ({@link TokenKey#toPem()}), made there (owner-only) first if
   * {@code create} and it does not exist.
   *
   * @throws KeyUnavailableException if the file is missing (and not to be made), unreadable or not a token key
   */
  public static TokenKey tokenKeyIn(Path file, boolean create) {
    try {
      if (create && !Files.exists(file)) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        byte[] pem = TokenKey.generate().toPem().getBytes(StandardCharsets.US_ASCII);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        createOwnerOnly(partial);
        Files.write(partial, pem);
        try {
          Files.createLink(file, partial); // another process may have made it first: theirs is used
        } catch (FileAlreadyExistsException e) {
          // keep theirs
        } finally {
          Files.deleteIfExists(partial);
        }
      }
      if (!Files.exists(file)) {
        throw new KeyUnavailableException("no token key at " + file + "; jwo serve makes it on first start with the"
            + " store's other keys");
      }
      return TokenKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new KeyUnavailableException("cannot read the token key file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new KeyUnavailableException("the token key file " + file + " is not a jwo token key: " + e.getMessage()
          + " (it is never replaced automatically, since that would void every token issued)", e);
    }
  }

  private static void createOwnerOnly(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  /** Writes a new random key to {@code file}, owner-only, unless it exists; returns whether it was made. */
  public static boolean create(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.deleteIfExists(partial);
      createOwnerOnly(partial);
      Files.write(partial, key);
      try {
        Files.createLink(file, partial); // fails if the key exists: a key is never replaced
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new KeyUnavailableException("cannot create the key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String what) {
    if (!Files.exists(file)) {
      create(file);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KeyUnavailableException("cannot read the " + what + " key file " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length == 32) {
      return bytes;
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1).strip();
    String convert = " the server reads the 32 raw bytes. Convert it with: ";
    if (text.matches("[0-9a-fA-F]{64}")) {
      throw new KeyUnavailableException("the " + what + " key file " + file + " holds the key as hexadecimal text;"
          + convert + "xxd -r -p " + file + " > " + file.getFileName() + ".bin, and use that file"
          + " (readable by the server's user only)");
    }
    if (decodesToKey(text)) {
      throw new KeyUnavailableException("the " + what + " key file " + file + " holds the key as base64 text;"
          + convert + "base64 -d " + file + " > " + file.getFileName() + ".bin, and use that file"
          + " (readable by the server's user only)");
    }
    throw new KeyUnavailableException("the " + what + " key file " + file + " holds " + bytes.length
        + " bytes, not a 32-byte key; it is not a jwo key, or it was damaged (it is never replaced automatically,"
        + " since that would make what the store kept unreadable)");
  }

  private static boolean decodesToKey(String text) {
    try {
      return Base64.getMimeDecoder().decode(text).length == 32 && text.length() >= 43;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
