package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.keys.EnvironmentKeyProvider;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.security.TokenKey;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.server.StoreModules;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.inject.StorageModule;
import dev.jwo.testing.keys.FakeKms;
import dev.jwo.testing.scenario.StoreScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code serve} and {@code rotate-vault-key} take the store's keys from: never the data directory. */
class KeyOptionsTest {
  static final long T = 1_764_410_400_000L;
  @TempDir Path dir;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void serveWithoutAKeyRefusesNamingEveryWayToGiveOneAndWritesNoKey() throws Exception {
    Path store = dir.resolve("store.json");
    StoreLogWriter.writeStore(store, StoreScript.smallStore("s-nokey", "US-IL"));
    Path data = dir.resolve("data");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = JwoCli.run("serve", "--store", store.toString(), "--data", data.toString(), "--port", "0");
    } finally {
      System.setErr(saved);
    }

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no key for the store")
        .contains("--key-dir DIR").contains("--vault-key FILE").contains("JWO_VAULT_KEY").contains("JWO_SUBJECT_KEY")
        .contains("openssl rand -base64 32").contains("StoreKeyProvider").contains("--dev-keys");
    assertThat(filesIn(data)).as("no key and no database was written").noneMatch(f -> f.toString().endsWith(".key")
        || f.getFileName().toString().startsWith("jwo-store"));
  }

  @Test
  void keysFromTheEnvironmentOpenTheVaultAndNoKeyRestsInTheDataDirectory() throws Exception {
    byte[] vaultKey = random32();
    byte[] subjectKey = random32();
    Map<String, String> environment = Map.of(
        EnvironmentKeyProvider.VAULT_KEY, Base64.getEncoder().encodeToString(vaultKey),
        EnvironmentKeyProvider.SUBJECT_KEY, Base64.getEncoder().encodeToString(subjectKey));
    Path data = dir.resolve("data");
    StoreKeyProvider keys = options().provider(environment, data, true, out);
    assertThat(keys).isInstanceOf(EnvironmentKeyProvider.class);

    StoreLayout layout = StoreScript.smallStore("s-env", "US-IL");
    TemplateRef ref;
    Injector first = store(layout, data, keys);
    try {
      ref = first.getInstance(BiometricVault.class).keep("subj:a", "v-1", DataCategory.FACE_GEOMETRY,
          new double[] {0.25, 0.5}, T);
    } finally {
      first.getInstance(StoreStorage.class).close();
    }
    Injector again = store(layout, data, options().provider(environment, data, true, out));
    try {
      assertThat(again.getInstance(BiometricVault.class).open(ref)).hasValueSatisfying(
          v -> assertThat(v).containsExactly(0.25, 0.5));
    } finally {
      again.getInstance(StoreStorage.class).close();
    }

    List<Path> files = filesIn(data);
    assertThat(files).as("the database was written").anyMatch(f -> f.getFileName().toString().endsWith(".mv.db"));
    assertThat(files).noneMatch(f -> f.getFileName().toString().endsWith(".key"));
    for (Path file : files) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (byte[] key : List.of(vaultKey, subjectKey)) {
        assertThat(bytes).as("%s holds no key in any usual encoding", file)
            .doesNotContain(new String(key, StandardCharsets.ISO_8859_1))
            .doesNotContain(Base64.getEncoder().encodeToString(key).substring(0, 40))
            .doesNotContain(HexFormat.of().formatHex(key)).doesNotContain(HexFormat.of().withUpperCase().formatHex(key));
      }
    }
  }

  @Test
  void keysAnEarlierReleaseLeftInTheDataDirectoryAreRefusedThenMovedToTheKeyFolderNamed() throws Exception {
    Path data = dir.resolve("data");
    KeyFileProvider.create(data.resolve(KeyFileProvider.VAULT_KEY_FILE));
    KeyFileProvider.create(data.resolve(KeyFileProvider.SUBJECT_KEY_FILE));
    Files.writeString(data.resolve("audit-checkpoints-s-old.jsonl"), "{}\n");
    byte[] vaultKey = Files.readAllBytes(data.resolve(KeyFileProvider.VAULT_KEY_FILE));
    byte[] subjectKey = Files.readAllBytes(data.resolve(KeyFileProvider.SUBJECT_KEY_FILE));

    assertThatThrownBy(() -> options().provider(Map.of(), data, true, out))
        .hasMessageContaining("the data directory " + data + " holds the store's keys (vault.key, subject.key)")
        .hasMessageContaining("--key-dir DIR").hasMessageContaining("they are moved there at start-up");
    assertThat(data.resolve(KeyFileProvider.VAULT_KEY_FILE)).as("nothing moved without being told where").exists();

    Path keyDir = dir.resolve("keys");
    KeyOptions options = options();
    options.keyDir = keyDir;
    StoreKeyProvider keys = options.provider(Map.of(), data, true, out);

    assertThat(keyDir.resolve(KeyFileProvider.VAULT_KEY_FILE)).hasBinaryContent(vaultKey);
    assertThat(keyDir.resolve(KeyFileProvider.SUBJECT_KEY_FILE)).hasBinaryContent(subjectKey);
    assertThat(keyDir.resolve("audit-checkpoints-s-old.jsonl")).as("the checkpoints follow the keys").exists();
    assertThat(filesIn(data)).isEmpty();
    assertThat(keys.vaultMasterKey().id()).isEqualTo(
        dev.jwo.compliance.vault.VaultMasterKey.of(vaultKey).id());
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("moved the store's keys from the data directory "
        + data + " to " + keyDir.toAbsolutePath()).contains("destroy any backup of " + data);
  }

  @Test
  void aKeyInTheDataDirectoryOtherThanTheKeyFoldersIsNeitherMovedNorUsed() throws Exception {
    Path data = dir.resolve("data");
    Path keyDir = dir.resolve("keys");
    KeyFileProvider.create(data.resolve(KeyFileProvider.VAULT_KEY_FILE));
    KeyFileProvider.create(keyDir.resolve(KeyFileProvider.VAULT_KEY_FILE));
    KeyOptions options = options();
    options.keyDir = keyDir;

    assertThatThrownBy(() -> options.provider(Map.of(), data, true, out)).hasMessageContaining("they differ")
        .hasMessageContaining("Nothing was moved");
    assertThat(data.resolve(KeyFileProvider.VAULT_KEY_FILE)).exists();

    Map<String, String> environment = Map.of(EnvironmentKeyProvider.VAULT_KEY,
        Base64.getEncoder().encodeToString(random32()));
    assertThatThrownBy(() -> options().provider(environment, data, true, out))
        .hasMessageContaining("holds the store's keys (vault.key)").hasMessageContaining("then delete the files");
  }

  @Test
  void aKeyFolderInsideTheDataDirectoryIsRefused() {
    Path data = dir.resolve("data");
    KeyOptions inside = options();
    inside.keyDir = data.resolve("keys");
    KeyOptions file = options();
    file.vaultKey = data.resolve("vault.key");

    for (KeyOptions options : List.of(inside, file)) {
      assertThatThrownBy(() -> options.provider(Map.of(), data, true, out))
          .hasMessageContaining("lies inside the data directory " + data);
    }
    assertThat(data).doesNotExist();
  }

  @Test
  void devKeysAreHeldInMemoryForAFreshEmbeddedStoreOnly() throws Exception {
    Path data = dir.resolve("data");
    KeyOptions dev = options();
    dev.devKeys = true;
    StoreKeyProvider keys = dev.provider(Map.of(), data, true, out);
    assertThat(keys).isInstanceOf(StoreKeys.class);
    Injector store = store(StoreScript.smallStore("s-dev", "US-IL"), data, keys);
    store.getInstance(BiometricVault.class).keep("subj:a", "v-1", DataCategory.FACE_GEOMETRY, new double[] {1}, T);
    store.getInstance(StoreStorage.class).close();
    assertThat(filesIn(data)).noneMatch(f -> f.toString().endsWith(".key"));

    assertThatThrownBy(() -> dev.provider(Map.of(), data, true, out)).hasMessageContaining("give a fresh --data");
    assertThatThrownBy(() -> dev.provider(Map.of(), dir.resolve("elsewhere"), false, out))
        .hasMessageContaining("a store on PostgreSQL needs keys of its own");
    KeyOptions both = options();
    both.devKeys = true;
    both.keyDir = dir.resolve("keys");
    assertThatThrownBy(() -> both.provider(Map.of(), dir.resolve("other"), true, out))
        .hasMessageContaining("one way only");
  }

  @Test
  void aKeyProviderClassNamedOnTheCommandLineGivesTheKeysFromTheEnvironmentItIsGiven() throws Exception {
    Path data = dir.resolve("data");
    KeyOptions named = options();
    named.keyProvider = KmsKeys.class.getName();
    Map<String, String> environment = Map.of(KmsKeys.STORE, "store-kms-1");
    StoreKeyProvider keys = named.provider(environment, data, false, out);
    assertThat(keys).isInstanceOf(KmsKeys.class);
    assertThat(keys.describe()).contains("store-kms-1");
    assertThat(keys.vaultMasterKey().id()).isEqualTo(named.provider(environment, data, false, out)
        .vaultMasterKey().id());
    assertThat(named.asArguments()).isEqualTo("--key-provider " + KmsKeys.class.getName());

    KeyOptions missing = options();
    missing.keyProvider = "com.example.NoSuchKms";
    assertThatThrownBy(() -> missing.provider(Map.of(), data, true, out))
        .hasMessageContaining("--key-provider com.example.NoSuchKms: no such class");
    KeyOptions notKeys = options();
    notKeys.keyProvider = "java.lang.StringBuilder";
    assertThatThrownBy(() -> notKeys.provider(Map.of(), data, true, out))
        .hasMessageContaining("not a key provider");
    KeyOptions both = options();
    both.keyProvider = KmsKeys.class.getName();
    both.keyDir = dir.resolve("keys");
    assertThatThrownBy(() -> both.provider(Map.of(), data, true, out)).hasMessageContaining("one way only");
    assertThat(data).doesNotExist();
  }

  @Test
  void theTokenKeyLiesWithTheOtherKeysAndJwoTokenSignsWithIt() throws Exception {
    Path store = dir.resolve("store.json");
    StoreLogWriter.writeStore(store, StoreScript.smallStore("s-token", "US-IL"));
    Path data = dir.resolve("data");
    Path keyDir = dir.resolve("keys");
    KeyOptions options = options();
    options.keyDir = keyDir;
    TokenKey signing = options.provider(Map.of(), data, true, out).tokenKey();
    assertThat(keyDir.resolve(KeyFileProvider.TOKEN_KEY_FILE)).exists();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(keyDir.resolve(KeyFileProvider.TOKEN_KEY_FILE)))).isEqualTo("rw-------");
    assertThat(options.provider(Map.of(), data, true, out).tokenKey().publicPem()).isEqualTo(signing.publicPem());

    ByteArrayOutputStream token = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int code;
    System.setOut(new PrintStream(token, true, StandardCharsets.UTF_8));
    try {
      code = JwoCli.run("token", "--store", store.toString(), "--data", data.toString(), "--key-dir",
          keyDir.toString(), "--role", "store-admin", "--subject", "admin-1");
    } finally {
      System.setOut(saved);
    }
    assertThat(code).isEqualTo(0);
    assertThat(signing.verifier("s-token").verify(token.toString(StandardCharsets.UTF_8).strip(),
        java.time.Instant.now()).subject()).isEqualTo("admin-1");
    assertThat(filesIn(data)).as("no key in the data directory").isEmpty();

    assertThatThrownBy(() -> KeyOptions.outsideData(data.resolve("token.pem"), data))
        .hasMessageContaining("lies inside the data directory");
  }

  @Test
  void aTokenKeyAnEarlierReleaseMadeInTheDataDirectoryIsRefusedThenMovedWithTheOthers() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    String pem = TokenKey.generate().toPem();
    Files.writeString(data.resolve(KeyFileProvider.TOKEN_KEY_FILE), pem);

    assertThatThrownBy(() -> options().provider(Map.of(), data, true, out))
        .hasMessageContaining("holds the store's keys (" + KeyFileProvider.TOKEN_KEY_FILE + ")");
    KeyOptions options = options();
    options.keyDir = dir.resolve("keys");
    StoreKeyProvider keys = options.provider(Map.of(), data, true, out);
    assertThat(keys.tokenKey().publicPem()).isEqualTo(TokenKey.fromPem(pem).publicPem());
    assertThat(filesIn(data)).isEmpty();
  }

  /** A key-management service's provider as a retailer would name it to {@code --key-provider}. */
  public static final class KmsKeys implements StoreKeyProvider {
    static final String STORE = "TEST_KMS_STORE";
    private static final FakeKms KMS = new FakeKms();
    private final StoreKeyProvider keys;

    public KmsKeys(Map<String, String> environment) {
      this.keys = KMS.keysOf(java.util.Objects.requireNonNull(environment.get(STORE), STORE));
    }

    @Override
    public dev.jwo.compliance.vault.VaultMasterKey vaultMasterKey() {
      return keys.vaultMasterKey();
    }

    @Override
    public dev.jwo.compliance.keys.SubjectKey subjectKey() {
      return keys.subjectKey();
    }

    @Override
    public TokenKey tokenKey() {
      return keys.tokenKey();
    }

    @Override
    public String describe() {
      return keys.describe();
    }
  }

  private static KeyOptions options() {
    return new KeyOptions();
  }

  private static Injector store(StoreLayout layout, Path data, StoreKeyProvider keys) {
    return Guice.createInjector(StoreModules.forStore(layout, new StorageModule(StorageSettings.embedded(data)),
        binder -> OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding().toInstance(keys)));
  }

  private static byte[] random32() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static List<Path> filesIn(Path folder) throws Exception {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return new ArrayList<>(files.filter(Files::isRegularFile).toList());
    }
  }
}
