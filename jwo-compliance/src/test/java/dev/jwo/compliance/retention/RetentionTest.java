package dev.jwo.compliance.retention;

import static dev.jwo.compliance.ComplianceFixture.DAY;
import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.DestructionRecord;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R6: retention on schedule, from the earliest trigger, after a restart too; holds only with a reference. */
class RetentionTest {
  static final double[] FACE = {0.1, 0.2, 0.3};

  @Test
  void aTexasDatumIsDestroyedWithinAYearAfterItsPurposeExpiredEvenIfTheStoreSaysTwo() {
    ComplianceSettings lax = ComplianceSettings.DEFAULTS.withRetention(Duration.ofDays(730), Duration.ofDays(3650));
    ComplianceFixture f = new ComplianceFixture("US-TX", lax);
    BiometricVault vault = f.get(BiometricVault.class);
    VisitCompliance visits = f.get(VisitCompliance.class);
    Admission alice = admission("c-alice", T, "bio-2026-01");
    TemplateRef ref = vault.keep(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY.subject(alice.credential()), alice.visitId().value(),
        DataCategory.FACE_GEOMETRY, FACE, T + 1_000);
    long exit = T + 600_000;

    visits.visitEnded(alice, exit);
    visits.onTimeAdvanced(exit + 365 * DAY - 1);

    assertThat(vault.open(ref)).as("one millisecond before the year is up").isPresent();
    assertThat(f.get(RetentionSchedule.class).entry(ref.item()).orElseThrow().rule())
        .isEqualTo("Tex. Bus. & Com. Code 503.001(c)(3)");

    visits.onTimeAdvanced(exit + 365 * DAY);

    assertThat(vault.open(ref)).isEmpty();
    AuditRecord destruction = last(f, AuditType.DESTRUCTION);
    assertThat(destruction.detail("due_ts")).isEqualTo(Long.toString(exit + 365 * DAY));
    assertThat(destruction.detail("reason")).isEqualTo("purpose satisfied");
  }

  @Test
  void anIllinoisTemplateIsDestroyedWhenTheVisitsPurposeIsSatisfied() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    BiometricVault vault = f.get(BiometricVault.class);
    Admission alice = admission("c-alice", T, "bio-2026-01");
    TemplateRef ref = vault.keep(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY.subject(alice.credential()), alice.visitId().value(),
        DataCategory.FACE_GEOMETRY, FACE, T + 1_000);

    f.get(VisitCompliance.class).visitEnded(alice, T + 60_000);

    assertThat(vault.open(ref)).isEmpty();
    assertThat(vault.hasKey(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY.subject(alice.credential()))).isFalse();
    assertThat(last(f, AuditType.DESTRUCTION).detail("key_shredded")).isEqualTo("true");
  }

  @Test
  void aVisitThatNeverEndsIsStillDestroyedAtTheLimitAfterTheLastInteraction() {
    ComplianceFixture f = new ComplianceFixture("US-IL",
        ComplianceSettings.DEFAULTS.withRetention(Duration.ZERO, Duration.ofDays(5 * 365)));
    BiometricVault vault = f.get(BiometricVault.class);
    TemplateRef ref = vault.keep("cred:alice", "v-open", DataCategory.FACE_GEOMETRY, FACE, T);

    List<DestructionRecord> before = vault.destroyDue(T + 3 * 365 * DAY - 1);
    List<DestructionRecord> at = vault.destroyDue(T + 3 * 365 * DAY);

    assertThat(before).isEmpty();
    assertThat(at).singleElement().satisfies(d -> {
      assertThat(d.rule()).isEqualTo("740 ILCS 14/15(a)");
      assertThat(d.reason()).contains("last interaction");
    });
    assertThat(vault.open(ref)).isEmpty();
  }

  @Test
  void theScheduleDestroysOnTimeAfterARestart() {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    VaultMasterKey master = VaultMasterKey.random();
    ComplianceFixture before = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, storage, master);
    Admission alice = admission("c-alice", T, "bio-2026-01");
    TemplateRef ref = before.get(BiometricVault.class).keep(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY.subject(alice.credential()), alice.visitId().value(),
        DataCategory.FACE_GEOMETRY, FACE, T + 1_000);
    before.get(RetentionSchedule.class).purposeSatisfied(alice.visitId().value(), T + 60_000);
    // the server stops here, before the next tick

    ComplianceFixture after = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, storage, master);
    assertThat(after.get(BiometricVault.class).open(ref)).as("still held after the restart").isPresent();
    after.get(VisitCompliance.class).onTimeAdvanced(T + 120_000);

    assertThat(after.get(BiometricVault.class).open(ref)).isEmpty();
    assertThat(after.get(RetentionSchedule.class).all()).isEmpty();
    assertThat(after.get(AuditChain.class).verify().valid()).isTrue();
  }

  @Test
  void aLegalHoldNeedsAReferenceAndDelaysDestructionOnlyUntilReleased() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    RetentionSchedule schedule = f.get(RetentionSchedule.class);
    BiometricVault vault = f.get(BiometricVault.class);
    TemplateRef ref = vault.keep("cred:alice", "v-1", DataCategory.FACE_GEOMETRY, FACE, T);
    schedule.purposeSatisfied("v-1", T + 10);

    assertThatThrownBy(() -> schedule.placeHold("cred:alice", LegalHold.Order.WARRANT, " ", "Cook County", T + 5))
        .isInstanceOf(ComplianceException.class).hasMessageContaining("reference");
    schedule.placeHold("cred:alice", LegalHold.Order.WARRANT, "W-2026-0042", "Circuit Court of Cook County", T + 5);

    assertThat(vault.destroyDue(T + DAY)).isEmpty();
    assertThat(vault.open(ref)).isPresent();
    assertThat(last(f, AuditType.LEGAL_HOLD_PLACED).detail("reference")).isEqualTo("W-2026-0042");

    schedule.releaseHold("cred:alice", "case closed", T + 2 * DAY);
    assertThat(vault.destroyDue(T + 2 * DAY)).hasSize(1);
    assertThat(vault.open(ref)).isEmpty();
  }

  /** What is due is every unheld entry whose deadline has come, by deadline then item, after deadlines moved too. */
  @Test
  void dueListsTheUnheldEntriesWhoseDeadlineHasComeByDeadlineThenItem() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    RetentionSchedule schedule = f.get(RetentionSchedule.class);
    schedule.schedule("item-c", "cred:carol", "v-3", DataCategory.FACE_GEOMETRY, T);
    schedule.schedule("item-b", "cred:bob", "v-2", DataCategory.FACE_GEOMETRY, T);
    schedule.schedule("item-a", "cred:alice", "v-1", DataCategory.FACE_GEOMETRY, T + 5);
    schedule.schedule("item-d", "cred:dave", "v-4", DataCategory.FACE_GEOMETRY, T + 10);
    schedule.schedule("item-e", "cred:erin", "v-5", DataCategory.FACE_GEOMETRY, T + 20);
    schedule.purposeSatisfied("v-4", T + 100);
    schedule.purposeSatisfied("v-3", T + 100);
    schedule.purposeSatisfied("v-1", T + 50);
    schedule.remove("item-e");
    schedule.placeHold("cred:bob", LegalHold.Order.WARRANT, "W-1", "Circuit Court of Cook County", T);

    assertThat(schedule.due(T + 49)).isEmpty();
    assertThat(schedule.due(T + 100)).extracting(RetentionEntry::item).containsExactly("item-a", "item-c", "item-d");
    long later = schedule.entry("item-b").orElseThrow().deadlineTs();
    assertThat(schedule.due(later)).extracting(RetentionEntry::item)
        .containsExactly("item-a", "item-c", "item-d");
    schedule.releaseHold("cred:bob", "case closed", T + 1);
    assertThat(schedule.due(later - 1)).extracting(RetentionEntry::item).containsExactly("item-a", "item-c", "item-d");
    assertThat(schedule.due(later)).extracting(RetentionEntry::item)
        .containsExactly("item-a", "item-c", "item-d", "item-b");
  }

  private static AuditRecord last(ComplianceFixture f, AuditType type) {
    List<AuditRecord> records = f.get(AuditChain.class).records().stream().filter(r -> r.type() == type).toList();
    assertThat(records).as("audit records of type " + type).isNotEmpty();
    return records.get(records.size() - 1);
  }
}
