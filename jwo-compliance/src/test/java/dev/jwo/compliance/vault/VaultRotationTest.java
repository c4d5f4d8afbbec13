package dev.jwo.compliance.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rotating the vault's master key: every person's key wrapped again, audited, and the old key refused after. */
class VaultRotationTest {
  static final long T = 1_764_410_400_000L;

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final AuditChain audit = ComplianceFixture.auditChain(storage);
  private final RetentionSchedule retention =
      new RetentionSchedule(storage, Policies.resolve("US-IL"), ComplianceSettings.DEFAULTS, audit);
  private final VaultMasterKey old = VaultMasterKey.random();
  private final VaultMasterKey next = VaultMasterKey.random();

  private BiometricVault vault(VaultMasterKey master) {
    return new BiometricVault(storage, master, retention, audit);
  }

  private List<TemplateRef> keepSome(BiometricVault vault) {
    List<TemplateRef> refs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      refs.add(vault.keep("subj:" + i, "v-" + i, DataCategory.FACE_GEOMETRY, new double[] {i, i + 0.5}, T + i));
    }
    refs.add(vault.keep("subj:0", "v-9", DataCategory.FACE_GEOMETRY, new double[] {9}, T + 9));
    return refs;
  }

  @Test
  void afterRotationTheOldKeyFailsStartUpAndTheNewOneOpensEveryTemplate() {
    BiometricVault before = vault(old);
    List<TemplateRef> refs = keepSome(before);

    assertThat(before.rotateMasterKey(next, T + 100)).isEqualTo(5);
    assertThat(refs).allSatisfy(ref -> assertThat(before.open(ref)).as("the running vault").isPresent());

    assertThatThrownBy(() -> vault(old)).isInstanceOf(WrongMasterKeyException.class);
    BiometricVault after = vault(next);
    for (TemplateRef ref : refs) {
      double first = ref.visit().equals("v-9") ? 9 : Double.parseDouble(ref.visit().substring(2));
      assertThat(after.open(ref)).hasValueSatisfying(v -> assertThat(v[0]).isEqualTo(first));
    }
    AuditRecord rotated = audit.records().stream().filter(r -> r.type() == AuditType.VAULT_KEY_ROTATED)
        .findFirst().orElseThrow();
    assertThat(rotated.details()).containsEntry("keys_rewrapped", "5").containsEntry("master", next.id())
        .containsEntry("previous_master", old.id());
    assertThat(audit.verify().valid()).isTrue();
  }

  @Test
  void anInterruptedRotationIsRefusedUntilItIsRunAgainToTheEnd() {
    List<TemplateRef> refs = keepSome(vault(old));
    // A rotation that crashed after wrapping one person's key again: that row names the new key, the check the old.
    // Made by rotating to the new key, keeping one row, rotating back, and putting that row back.
    KeyedValue first = storage.table(BiometricVault.KEYS).scan("").get(0);
    vault(old).rotateMasterKey(next, T + 100);
    byte[] rotatedRow = storage.table(BiometricVault.KEYS).get(first.key()).orElseThrow().value();
    vault(next).rotateMasterKey(old, T + 101);
    storage.table(BiometricVault.KEYS).put(first.key(), rotatedRow, dev.jwo.core.storage.KeyedTable.ANY_VERSION);

    BiometricVault interrupted = vault(old);
    TemplateRef ofFirst = refs.stream().filter(r -> r.subject().equals(first.key())).findFirst().orElseThrow();
    assertThatThrownBy(() -> interrupted.open(ofFirst)).isInstanceOf(WrongMasterKeyException.class)
        .hasMessageContaining("rotation of the master key was interrupted");
    assertThat(storage.table(BiometricVault.KEYS).get(first.key()).orElseThrow().value()).isEqualTo(rotatedRow);

    assertThat(interrupted.rotateMasterKey(next, T + 200)).isEqualTo(4);
    BiometricVault done = vault(next);
    assertThat(refs).allSatisfy(ref -> assertThat(done.open(ref)).isPresent());
  }
}
