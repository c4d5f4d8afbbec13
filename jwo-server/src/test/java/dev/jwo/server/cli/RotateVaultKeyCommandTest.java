package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.intake.SealedCredentials;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.compliance.vault.WrongMasterKeyException;
import dev.jwo.core.Credential;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.server.StoreModules;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.inject.StorageModule;
import dev.jwo.testing.scenario.StoreScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jwo rotate-vault-key} on an embedded store with key files. */
class RotateVaultKeyCommandTest {
  static final long T = 1_764_410_400_000L;
  static final VisitId VISIT = VisitId.of("v-" + T + "-in-1");
  @TempDir Path dir;

  private Injector store(StoreLayout layout, StoreKeyProvider keys) {
    return Guice.createInjector(StoreModules.forStore(layout,
        new StorageModule(StorageSettings.embedded(dir.resolve("data"))),
        binder -> OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding().toInstance(keys)));
  }

  @Test
  void afterRotationTheOldKeyFailsStartUpAndTheNewOneOpensEveryTemplate() throws Exception {
    StoreLayout layout = StoreScript.smallStore("rot-001", "US-IL");
    StoreLogWriter.writeStore(dir.resolve("store.json"), layout);
    Path keyDir = dir.resolve("keys");
    List<TemplateRef> refs = new ArrayList<>();
    EntryScan sealed;
    Injector before = store(layout, KeyFileProvider.inFolder(keyDir));
    try {
      BiometricVault vault = before.getInstance(BiometricVault.class);
      for (int i = 0; i < 3; i++) {
        refs.add(vault.keep("subj:" + i, "v-" + i, DataCategory.FACE_GEOMETRY, new double[] {i}, T));
      }
      sealed = before.getInstance(SealedCredentials.class).seal(VISIT,
          EntryScan.newBuilder().setGate("in-1").setCredential("c-rotated").build());
    } finally {
      before.getInstance(StoreStorage.class).close();
    }
    byte[] oldKey = Files.readAllBytes(keyDir.resolve(KeyFileProvider.VAULT_KEY_FILE));

    assertThat(JwoCli.run("rotate-vault-key", "--store", dir.resolve("store.json").toString(),
        "--data", dir.resolve("data").toString(), "--key-dir", keyDir.toString())).isZero();

    Path retired;
    try (Stream<Path> files = Files.list(keyDir)) {
      retired = files.filter(f -> f.getFileName().toString().startsWith("vault.key.retired-")).findFirst()
          .orElseThrow();
    }
    assertThat(Files.readAllBytes(retired)).isEqualTo(oldKey);
    assertThat(Files.readAllBytes(keyDir.resolve(KeyFileProvider.VAULT_KEY_FILE))).isNotEqualTo(oldKey);
    Injector withOld = store(layout, KeyFileProvider.forVaultKeyFile(retired));
    try {
      assertThatThrownBy(() -> withOld.getInstance(BiometricVault.class))
          .hasRootCauseInstanceOf(WrongMasterKeyException.class);
    } finally {
      withOld.getInstance(StoreStorage.class).close();
    }
    Injector after = store(layout, KeyFileProvider.inFolder(keyDir));
    try {
      BiometricVault vault = after.getInstance(BiometricVault.class);
      for (TemplateRef ref : refs) {
        assertThat(vault.open(ref)).hasValueSatisfying(
            v -> assertThat(v[0]).isEqualTo(Double.parseDouble(ref.visit().substring(2))));
      }
      assertThat(after.getInstance(SealedCredentials.class).open(VISIT, sealed))
          .as("the visit's credential key was wrapped again too").contains(Credential.of("c-rotated"));
      assertThat(after.getInstance(AuditChain.class).records())
          .anySatisfy(r -> assertThat(r.type()).isEqualTo(AuditType.VAULT_KEY_ROTATED));
    } finally {
      after.getInstance(StoreStorage.class).close();
    }
  }
}
