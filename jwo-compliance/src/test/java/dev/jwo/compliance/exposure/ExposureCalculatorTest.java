package dev.jwo.compliance.exposure;

import static dev.jwo.compliance.ComplianceFixture.DAY;
import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.evidence.CaptureLog;
import dev.jwo.compliance.policy.Damages;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.visit.Admission;
import org.junit.jupiter.api.Test;

/**
 * R13: captures with and without valid consent, priced at statutory damages per person per method. The captures
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
      assertThat(line.withValidConsent()).isEqualTo(1);
      assertThat(line.withoutValidConsent()).as("Alice twice by face is one violation").isEqualTo(1);
      assertThat(line.droppedAtDoor()).isEqualTo(1);
      assertThat(line.unit()).isEqualTo(Damages.Unit.PER_PERSON_PER_METHOD);
      assertThat(line.negligentMinor()).isEqualTo(1_000_00);
      assertThat(line.intentionalMinor()).isEqualTo(5_000_00);
      assertThat(line.citation()).contains("740 ILCS 14/20");
    });
    assertThat(report.totalIntentionalMinor()).isEqualTo(5_000_00);
  }

  @Test
  void portlandCountsEveryDayFaceRecognitionWasUsedWhateverTheConsent() {
    ComplianceFixture f = new ComplianceFixture("US-OR-PDX");
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
  void aStoreWhoseGuardDidItsJobHasNoExposure() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    f.get(VisitCompliance.class).ensurePublished(T);
    f.get(CaptureLog.class).record(FeatureKind.FACE_GEOMETRY, admission("c-a", T, null),
        GuardDecision.deny("no release", "740 ILCS 14/15(b)"), false, T + 1);

    ExposureReport report = f.get(ExposureCalculator.class).report(T + 2);

    assertThat(report.totalNegligentMinor()).isZero();
    assertThat(report.lines().get(0).droppedAtDoor()).isEqualTo(1);
  }
}
