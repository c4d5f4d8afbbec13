package dev.jwo.compliance.exposure;

import static dev.jwo.compliance.ComplianceFixture.DAY;
import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.GrpcServerSettings;
import java.util.Map;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.evidence.CaptureLog;
import dev.jwo.compliance.policy.Damages;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.visit.Admission;
import org.junit.jupiter.api.Test;

/**
 * R13 and 740 ILCS 14/15(b), (a), (d), (e): every biometric datum received, used or removed at the door, with and
 * without the person's own release, priced at statutory damages per person per method, and the other duties per
 * person. The captures
 * here were let through by a faulty guard that allowed everything; the report judges them afresh.
 */
class ExposureCalculatorTest {
  static final GuardDecision FAULTY = GuardDecision.allow("a replaced guard allowed it", "retailer guard");

  @Test
  void illinoisCountsEachPersonAndMethodOnceAtTheAmendedDamages() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    f.get(VisitCompliance.class).ensurePublished(T);
    CaptureLog log = f.get(CaptureLog.class);
    Admission aliceMonday = admission("c-alice", T, null);
    Admission aliceTuesday = admission("c-alice", T + DAY, null);
    Admission bob = admission("c-bob", T, "bio-2026-01");
    Admission carol = admission("c-carol", T, null);
    f.sign("c-bob", T);
    f.get(VisitCompliance.class).visitStarted(bob);

    log.record(FeatureKind.FACE_GEOMETRY, aliceMonday, FAULTY, true, T + 10);
    log.record(FeatureKind.FACE_GEOMETRY, aliceTuesday, FAULTY, true, T + DAY + 10);
    log.record(FeatureKind.FACE_GEOMETRY, bob, FAULTY, true, T + 20);
    log.record(FeatureKind.FACE_GEOMETRY, carol, GuardDecision.deny("no release", "740 ILCS 14/15(b)"), false,
        T + 30);
    log.record(FeatureKind.CLOTHING_COLOR, carol, FAULTY, true, T + 30);

    ExposureReport report = f.get(ExposureCalculator.class).report(T + 2 * DAY);

    assertThat(report.lines()).singleElement().satisfies(line -> {
      assertThat(line.jurisdiction()).isEqualTo("US-IL");
      assertThat(line.captured()).isEqualTo(2);
      assertThat(line.received()).as("Alice, Bob and Carol's faces reached the store").isEqualTo(3);
      assertThat(line.withValidConsent()).isEqualTo(1);
      assertThat(line.withoutValidConsent()).as("Alice twice by face is one violation; Carol's removed face another")
          .isEqualTo(2);
      assertThat(line.droppedAtDoor()).isEqualTo(1);
      assertThat(line.unit()).isEqualTo(Damages.Unit.PER_PERSON_PER_METHOD);
      assertThat(line.negligentMinor()).isEqualTo(2 * 1_000_00);
      assertThat(line.intentionalMinor()).isEqualTo(2 * 5_000_00);
      assertThat(line.citation()).contains("740 ILCS 14/20");
      assertThat(line.duties()).extracting(ExposureDuty::duty).containsExactly("retention", "disclosure", "security");
      assertThat(line.duties()).filteredOn(d -> d.duty().equals("security")).singleElement().satisfies(d -> {
        assertThat(d.citation()).isEqualTo("740 ILCS 14/15(e)");
        assertThat(d.violations()).as("faces of three people taken on a port without TLS").isEqualTo(3);
        assertThat(d.basis()).contains("without TLS");
      });
    });
    assertThat(report.totalIntentionalMinor()).isEqualTo((2 + 3) * 5_000_00);
  }

  @Test
  void aCompanionsFaceRemovedAtTheDoorIsStillCollectedFromThemWhileThePayerIsCovered() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    f.sign("c-payer", T);
    Credential payer = Credential.of("c-payer");
    Admission pair = new Admission(Admission.visitIdFor(GateId.of("in-1"), T + 5), T + 5, GateId.of("in-1"), payer, 2, null);

    f.get(CaptureLog.class).record(FeatureKind.FACE_GEOMETRY, pair,
        GuardDecision.deny("1 of this party of 2 did not sign in", "740 ILCS 14/15(b)"), false, T + 30);
    ExposureLine line = inProcess(f).report(T + 60).lines().get(0);

    assertThat(line.received()).as("one face, from either of two people").isEqualTo(2);
    assertThat(line.withValidConsent()).as("the payer").isEqualTo(1);
    assertThat(line.withoutValidConsent()).as("the companion, who released nothing").isEqualTo(1);
    assertThat(line.totalNegligentMinor()).isEqualTo(1_000_00);
  }

  @Test
  void dataKeptPastItsDeadlineAndABiometricDisclosureArePricedAsTheirOwnDuties() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    f.get(VisitCompliance.class).ensurePublished(T);
    String alice = ComplianceFixture.pseudonym("c-alice");
    f.get(BiometricVault.class).keep(alice, "v-1", DataCategory.FACE_GEOMETRY, new double[] {0.5}, T + 10);
    f.get(RetentionSchedule.class).purposeSatisfied("v-1", T + 20);
    f.get(AuditChain.class).append(AuditType.DISCLOSURE, T + 30, alice, Map.of("biometric", "true",
        "purpose", "analytics", "recipient", "ad-network"));
    f.get(AuditChain.class).append(AuditType.DISCLOSURE, T + 30, alice, Map.of("biometric", "true",
        "purpose", "payment", "recipient", "card-processor"));

    ExposureLine line = inProcess(f).report(T + DAY).lines().get(0);

    assertThat(line.duties()).filteredOn(d -> d.duty().equals("retention")).singleElement()
        .satisfies(d -> assertThat(d.violations()).as("destroyable since the visit ended, still held").isEqualTo(1));
    assertThat(line.duties()).filteredOn(d -> d.duty().equals("disclosure")).singleElement().satisfies(d -> {
      assertThat(d.violations()).as("the payment is lawful, the ad network is not").isEqualTo(1);
      assertThat(d.citation()).contains("740 ILCS 14/15(d)");
    });
    assertThat(line.duties()).filteredOn(d -> d.duty().equals("security")).singleElement()
        .satisfies(d -> assertThat(d.violations()).isZero());
  }

  @Test
  void aStoreThatReceivedOnlyCoveredFacesOverASecureChannelHasNoExposure() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    f.sign("c-a", T);
    f.get(CaptureLog.class).record(FeatureKind.FACE_GEOMETRY, admission("c-a", T, null),
        GuardDecision.allow("signed release", "740 ILCS 14/15(b)"), true, T + 1);

    ExposureReport report = inProcess(f).report(T + 2);

    assertThat(report.lines().get(0).received()).isEqualTo(1);
    assertThat(report.totalNegligentMinor()).isZero();
  }

  /** The calculator of {@code f}'s store, serving in-process (no network transmission). */
  private static ExposureCalculator inProcess(ComplianceFixture f) {
    return new ExposureCalculator(f.get(AuditChain.class), f.get(ConsentLedger.class), f.get(PartyRoster.class),
        f.get(DocumentLibrary.class), f.get(RetentionSchedule.class), f.get(PolicySet.class),
        f.get(StoreLayout.class), GrpcServerSettings.inProcess("exposure-test"));
  }

  @Test
  void portlandCountsEveryDayFaceRecognitionWasUsedWhateverTheConsent() {
    ComplianceFixture f = new ComplianceFixture(ComplianceFixture.store("US-OR-PDX", FeatureKind.CLOTHING_COLOR));
    f.get(VisitCompliance.class).ensurePublished(T);
    CaptureLog log = f.get(CaptureLog.class);
    log.record(FeatureKind.FACE_GEOMETRY, admission("c-a", T, null), FAULTY, true, T + 10);
    log.record(FeatureKind.FACE_GEOMETRY, admission("c-b", T, null), FAULTY, true, T + 20);
    log.record(FeatureKind.FACE_GEOMETRY, admission("c-a", T + 3 * DAY, null), FAULTY, true, T + 3 * DAY);

    ExposureLine line = f.get(ExposureCalculator.class).report(T + 4 * DAY).lines().get(0);

    assertThat(line.withoutValidConsent()).isEqualTo(2);
    assertThat(line.violationDays()).isEqualTo(2);
    assertThat(line.negligentMinor()).isEqualTo(2 * 1_000_00);
  }

  @Test
  void aFaceTheGuardRemovedAtTheDoorWasStillCollectedWithoutARelease() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    f.get(VisitCompliance.class).ensurePublished(T);
    f.get(CaptureLog.class).record(FeatureKind.FACE_GEOMETRY, admission("c-a", T, null),
        GuardDecision.deny("no release", "740 ILCS 14/15(b)"), false, T + 1);

    ExposureLine line = inProcess(f).report(T + 2).lines().get(0);

    assertThat(line.captured()).isZero();
    assertThat(line.droppedAtDoor()).isEqualTo(1);
    assertThat(line.withoutValidConsent()).isEqualTo(1);
    assertThat(line.negligentMinor()).isEqualTo(1_000_00);
  }
}
