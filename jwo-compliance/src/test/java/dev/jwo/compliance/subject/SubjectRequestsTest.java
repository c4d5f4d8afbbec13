package dev.jwo.compliance.subject;

import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.retention.LegalHold;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.DestructionRecord;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.visit.Admission;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** R12: access, deletion with proof, withdrawal that stops capture at once. */
class SubjectRequestsTest {
  static final double[] FACE = {0.31415926, 0.27182818};

  private final ComplianceFixture f = new ComplianceFixture("US-IL");
  private final Admission alice = admission("c-alice", T, "bio-2026-01");
  private final String subject = dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY.subject(alice.credential());
  private TemplateRef kept;

  @BeforeEach
  void aliceSignedBeforeTheEntryAndHerFaceIsKept() {
    f.sign("c-alice", T);
    f.get(VisitCompliance.class).visitStarted(alice);
    kept = f.get(BiometricVault.class).keep(subject, alice.visitId().value(), DataCategory.FACE_GEOMETRY, FACE,
        T + 1_000);
  }

  private boolean faceAllowedAt(long ts) {
    return f.get(ComplianceGuard.class)
        .check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.CHECKOUT_TRACKING, alice, ts)).allowed();
  }

  @Test
  void accessListsEverythingHeldButNotTheBiometricValues() {
    SubjectAccessReport report = f.get(SubjectRequests.class).access(subject, T + 2_000);

    assertThat(report.consents()).isEqualTo(1);
    assertThat(report.templatesHeld()).isEqualTo(1);
    assertThat(report.markdown()).contains("bio-2026-01").contains(kept.item()).contains("face_geometry")
        .contains("to be destroyed by").contains("encrypted with your own key").doesNotContain("0.31415926").doesNotContain("c-alice");
    assertThat(f.get(AuditChain.class).records()).extracting(r -> r.type())
        .contains(AuditType.DISCLOSURE, AuditType.SUBJECT_ACCESS);
  }

  @Test
  void deletionDestroysTheDataWithARecordThatVerifies() {
    SubjectDeletion deletion = f.get(SubjectRequests.class).delete(subject, Channel.APP, T + 3_000);
    DestructionRecord record = deletion.vault();
    assertThat(deletion.destroyed()).containsExactly("biometric vault: 1 template(s), the person's key shredded",
        "signer's attestation of releases (journal stream compliance/consents/<person>; each release's terms and"
            + " times kept as evidence, every modality withdrawn): 1");
    assertThat(f.get(dev.jwo.compliance.consent.ConsentLedger.class).optedOut(subject, dev.jwo.compliance.Modality.FACE,
        T + 3_000)).isTrue();

    assertThat(record.items()).isEqualTo(1);
    assertThat(record.keyShredded()).isTrue();
    assertThat(f.get(BiometricVault.class).open(kept)).isEmpty();
    assertThat(f.get(AuditChain.class).records()).extracting(r -> r.type())
        .containsSubsequence(AuditType.DELETION_REQUESTED, AuditType.DESTRUCTION);
    assertThat(f.get(AuditChain.class).verify().valid()).isTrue();
  }

  @Test
  void deletionUnderALegalHoldIsRefusedWithTheHoldsReference() {
    f.get(RetentionSchedule.class).placeHold(subject, LegalHold.Order.WARRANT, "W-77", "Cook County", T + 1_500);

    assertThatThrownBy(() -> f.get(SubjectRequests.class).delete(subject, Channel.APP, T + 3_000))
        .isInstanceOf(ComplianceException.class)
        .satisfies(e -> assertThat(((ComplianceException) e).kind()).isEqualTo(ComplianceException.Kind.REFUSED))
        .hasMessageContaining("W-77");
    assertThat(f.get(BiometricVault.class).open(kept)).isPresent();
  }

  @Test
  void withdrawalStopsCaptureAtOnceAndDestroysWhatIsHeld() {
    assertThat(faceAllowedAt(T + 4_999)).isTrue();

    WithdrawalReceipt receipt = f.get(SubjectRequests.class).withdraw(subject, Set.of(), Channel.APP, T + 5_000);

    assertThat(faceAllowedAt(T + 5_000)).isFalse();
    assertThat(receipt.destruction()).hasValueSatisfying(d -> assertThat(d.keyShredded()).isTrue());
    assertThat(f.get(BiometricVault.class).open(kept)).isEmpty();
  }
}
