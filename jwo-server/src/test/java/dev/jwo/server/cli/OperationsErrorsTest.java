package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import dev.jwo.compliance.keys.KeyFileProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors of {@code serve} that a person can act on. */
class OperationsErrorsTest {
  @TempDir Path dir;

  @Test
  void servingBeyondLoopbackWithoutTlsIsRefusedUnlessPlaintextIsAllowed() throws Exception {
    Path store = dir.resolve("store.json");
    dev.jwo.core.storelog.StoreLogWriter.writeStore(store,
        dev.jwo.testing.scenario.StoreScript.smallStore("s-tls", "US-IL"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = JwoCli.run("serve", "--store", store.toString(), "--data", dir.resolve("data").toString(),
          "--host", "0.0.0.0", "--port", "0");
    } finally {
      System.setErr(saved);
    }

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("serving on 0.0.0.0, beyond this machine, needs TLS")
        .contains("--allow-plaintext");
    assertThat(dir.resolve("data")).as("refused before touching the data folder").doesNotExist();
  }

  @Test
  void aMissingStoreFileSaysItIsMissingAndWhere() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = JwoCli.run("serve", "--store", "no-such-store.json", "--data", dir.resolve("data").toString());
    } finally {
      System.setErr(saved);
    }

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("jwo: no-such-store.json: no such file (looked in " + Path.of("").toAbsolutePath() + ")");
  }

  @Test
  void aWrongSettingsFileBesideTheStoreStopsServeAndReplayNamingTheField() throws Exception {
    Path store = dir.resolve("store.json");
    dev.jwo.core.storelog.StoreLogWriter.writeStore(store,
        dev.jwo.testing.scenario.StoreScript.smallStore("s-settings", "US-IL"));
    Files.writeString(dir.resolve("store-settings.json"), """
        {"format": "jwo-store-settings/1",
         "tax": {"default_category": "general", "rates_percent": {"general": 6.25}, "products": {"0042": "general"}}}
        """);
    String problem = "store-settings.json: tax.products.0042: is not a product of store s-settings's catalog";

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int serve;
    int replay;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      serve = JwoCli.run("serve", "--store", store.toString(), "--data", dir.resolve("data").toString());
      replay = JwoCli.run("replay", "--store", store.toString(), "--events", dir.resolve("events.jsonl").toString(),
          "--out", dir.resolve("out").toString());
    } finally {
      System.setErr(saved);
    }

    assertThat(serve).isEqualTo(1);
    assertThat(replay).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(problem))).hasSize(2);
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aDataFolderInUseNamesTheProcessHoldingIt() throws Exception {
    Path data = dir.resolve("data");
    DataFolderLock held = DataFolderLock.acquire(data, "jwo serve");
    try {
      assertThatThrownBy(() -> DataFolderLock.acquire(data, "jwo serve"))
          .hasMessageContaining("the data folder " + data.toAbsolutePath() + " is in use by process "
              + ProcessHandle.current().pid() + " (jwo serve, started ")
          .hasMessageContaining("another --data folder");
    } finally {
      held.close();
    }
    // Released: the next process takes it.
    DataFolderLock.acquire(data, "jwo serve").close();
  }

  @Test
  void aVaultKeyInHexOrBase64SaysHowToConvertIt() throws Exception {
    byte[] key = new byte[32];
    key[0] = 7;
    Path hex = dir.resolve("hex.key");
    Files.writeString(hex, HexFormat.of().formatHex(key) + "\n");
    Path base64 = dir.resolve("b64.key");
    Files.writeString(base64, Base64.getEncoder().encodeToString(key) + "\n");
    Path other = dir.resolve("other.key");
    Files.writeString(other, "not a key");

    assertThatThrownBy(() -> KeyFileProvider.forVaultKeyFile(hex).vaultMasterKey()).hasMessageContaining("hexadecimal")
        .hasMessageContaining("xxd -r -p " + hex + " > hex.key.bin");
    assertThatThrownBy(() -> KeyFileProvider.forVaultKeyFile(base64).vaultMasterKey()).hasMessageContaining("base64 text")
        .hasMessageContaining("base64 -d " + base64 + " > b64.key.bin");
    assertThatThrownBy(() -> KeyFileProvider.forVaultKeyFile(other).vaultMasterKey()).hasMessageContaining("holds 9 bytes, not a 32-byte key");
  }

  @Test
  void aTlsKeyInTheTraditionalFormatSaysHowToConvertIt() throws Exception {
    Path cert = dir.resolve("chain.pem");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Path rsa = dir.resolve("rsa.pem");
    Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
    Path der = dir.resolve("key.der");
    Files.write(der, new byte[] {0x30, (byte) 0x82, 0x04});
    Path pkcs8 = dir.resolve("key.pem");
    Files.writeString(pkcs8, "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> TlsKeyFiles.check(cert, rsa)).hasMessageContaining("PKCS#8")
        .hasMessageContaining("openssl pkey -in " + rsa + " -out key.pkcs8.pem");
    assertThatThrownBy(() -> TlsKeyFiles.check(cert, der))
        .hasMessageContaining("openssl pkey -inform DER -in " + der);
    assertThatThrownBy(() -> TlsKeyFiles.check(pkcs8, cert)).hasMessageContaining("not a PEM certificate");
    assertThatThrownBy(() -> TlsKeyFiles.check(cert, dir.resolve("missing.pem")))
        .hasMessageContaining("--tls-key " + dir.resolve("missing.pem") + ": no such file");
    TlsKeyFiles.check(cert, pkcs8);
  }
}
