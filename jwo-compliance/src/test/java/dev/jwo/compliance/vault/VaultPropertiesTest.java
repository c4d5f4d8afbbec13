package dev.jwo.compliance.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Properties of sealing and opening: any values come back bit for bit, and only to their own subject. */
class VaultPropertiesTest {
  static final long T = 1_764_410_400_000L;

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final AuditChain audit = ComplianceFixture.auditChain(storage);
  private final RetentionSchedule retention =
      new RetentionSchedule(storage, Policies.resolve("US-IL"), ComplianceSettings.DEFAULTS, audit);
  private final VaultMasterKey master = VaultMasterKey.random();
  private final BiometricVault vault = new BiometricVault(storage, master, retention, audit);
  private long ts = T;

  @Property(tries = 200)
  void anySealedValuesOpenBitForBit(@ForAll @Size(min = 1, max = 64) List<Double> values) {
    double[] plain = values.stream().mapToDouble(Double::doubleValue).toArray();
    TemplateRef ref = vault.keep("subj:a", "v-1", DataCategory.FACE_GEOMETRY, plain, ts++);

    double[] opened = vault.open(ref).orElseThrow();

    assertThat(opened).hasSameSizeAs(plain);
    for (int i = 0; i < plain.length; i++) {
      assertThat(Double.doubleToRawLongBits(opened[i])).isEqualTo(Double.doubleToRawLongBits(plain[i]));
    }
  }

  @Property(tries = 100)
  void aSealedRowOpensForNoOtherSubjectAndNotAfterItsKeyIsGone(
      @ForAll @Size(min = 1, max = 16) List<Double> values) {
    double[] plain = values.stream().mapToDouble(Double::doubleValue).toArray();
    long at = ts++;
    TemplateRef ref = vault.keep("subj:owner" + at, "v-1", DataCategory.FACE_GEOMETRY, plain, at);
    vault.keep("subj:other" + at, "v-1", DataCategory.FACE_GEOMETRY, new double[] {1}, at);
    byte[] copy = vault.sealedCopy(ref).orElseThrow();

    assertThat(vault.openCopy("subj:other" + at, copy)).isEmpty();
    vault.destroySubject("subj:owner" + at, "test", "740 ILCS 14/15(a)", at + 1);
    assertThat(vault.openCopy("subj:owner" + at, copy)).isEmpty();
    assertThat(vault.open(ref)).isEmpty();
  }
}
