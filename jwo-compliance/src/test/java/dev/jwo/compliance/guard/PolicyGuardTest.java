package dev.jwo.compliance.guard;

import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static dev.jwo.compliance.ComplianceFixture.pseudonym;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.consent.SignatureEvidence;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.visit.Admission;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guard as the law reads: R1 (fail closed, bans), R2 (consent before collection), R3 (switches, opt-out). */
class PolicyGuardTest {
  static final Admission ALICE = admission("c-alice", T, null);

  static ComplianceFixture store(String jurisdiction) {
    ComplianceFixture f = new ComplianceFixture(jurisdiction);
    f.get(VisitCompliance.class).ensurePublished(T);
    return f;
  }

  static void sign(ComplianceFixture f, String credential, long ts) {
    Disclosure d = f.get(DocumentLibrary.class).currentDisclosure().orElseThrow();
    f.get(ConsentLedger.class).record(pseudonym(credential), d, d.modalities(),
        new SignatureEvidence("app-tap-to-sign", d.sha256(), "test app"), Channel.APP, ts);
  }

  static GuardDecision face(ComplianceFixture f, Admission who, long ts) {
    return f.get(ComplianceGuard.class).check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.CHECKOUT_TRACKING, who,
        ts));
  }

  @Test
  void illinoisDeniesFacesWithoutASignedReleaseAndCountsTheDenial() {
    ComplianceFixture f = store("US-IL");

    GuardDecision decision = face(f, ALICE, T + 1_000);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.rule()).isEqualTo("740 ILCS 14/15(b)");
    assertThat(decision.reason()).contains("no valid signed release");
    MeterRegistry registry = f.get(MeterRegistry.class);
    assertThat(registry.get("jwo.compliance.guard.decisions").tags("category", "face_geometry", "outcome", "denied")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("jwo.compliance.guard.denials").tag("rule", "740 ILCS 14/15(b)").counter().count())
        .isEqualTo(1);
  }

  @Test
  void illinoisAllowsFacesFromTheInstantOfSigningUntilWithdrawal() {
    ComplianceFixture f = store("US-IL");
    sign(f, "c-alice", T + 1_000);

    assertThat(face(f, ALICE, T + 999).allowed()).as("before signing").isFalse();
    assertThat(face(f, ALICE, T + 1_000).allowed()).isTrue();
    assertThat(face(f, admission("c-bob", T, null), T + 1_000).allowed()).as("someone else").isFalse();
    assertThat(face(f, null, T + 1_000).allowed()).as("a person not identified").isFalse();

    f.get(ConsentLedger.class).withdraw(pseudonym("c-alice"), Set.of(Modality.FACE), Channel.APP, T + 5_000);

    assertThat(face(f, ALICE, T + 4_999).allowed()).isTrue();
    GuardDecision after = face(f, ALICE, T + 5_000);
    assertThat(after.allowed()).isFalse();
    assertThat(after.reason()).contains("withdrew");
  }

  @Test
  void aReleaseExpiresAfterItsTerm() {
    ComplianceFixture f = store("US-IL");
    sign(f, "c-alice", T);
    long term = ComplianceSettings.DEFAULTS.disclosures().get(0).consentValidFor().toMillis();

    assertThat(face(f, ALICE, T + term - 1).allowed()).isTrue();
    assertThat(face(f, ALICE, T + term).allowed()).isFalse();
  }

  @Test
  void portlandRefusesFacesEvenWithConsent() {
    // A Portland store cannot start with a face camera; the guard still refuses faces should any arrive.
    ComplianceFixture f = new ComplianceFixture(ComplianceFixture.store("US-OR-PDX", FeatureKind.CLOTHING_COLOR));
    f.get(VisitCompliance.class).ensurePublished(T);
    Disclosure d = f.get(DocumentLibrary.class).currentDisclosure().orElseThrow();
    f.get(ConsentLedger.class).record(pseudonym("c-alice"), d, d.modalities(),
        new SignatureEvidence("app-tap-to-sign", d.sha256(), ""), Channel.APP, T);

    GuardDecision decision = face(f, ALICE, T + 1);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.rule()).isEqualTo("Portland City Code 34.10.020");
  }

  @Test
  void anUnknownJurisdictionAllowsNoBiometricsButStillRunsTheStore() {
    ComplianceFixture f = store("US-ZZ");
    sign(f, "c-alice", T);

    assertThat(face(f, ALICE, T + 1).rule()).isEqualTo("jwo policy R1 (fail closed)");
    assertThat(face(f, ALICE, T + 1).allowed()).isFalse();
    assertThat(f.get(ComplianceGuard.class).check(new DataUse(DataCategory.LOCATION_TRACK, Purpose.CHECKOUT_TRACKING,
        ALICE, T)).allowed()).isTrue();
  }

  @Test
  void newYorkCityAllowsFacesWithoutConsentOnlyOnceTheSignIsPublishedAndNotAfterAnOptOut() {
    ComplianceFixture f = new ComplianceFixture("US-NY-NYC");

    GuardDecision before = face(f, ALICE, T);
    assertThat(before.allowed()).isFalse();
    assertThat(before.rule()).isEqualTo("NYC Admin. Code 22-1202(a)");

    f.get(VisitCompliance.class).ensurePublished(T);
    assertThat(face(f, ALICE, T + 1).allowed()).isTrue();

    f.get(ConsentLedger.class).withdraw(pseudonym("c-alice"), Set.of(), Channel.KIOSK, T + 2);
    assertThat(face(f, ALICE, T + 3).allowed()).isFalse();
    assertThat(face(f, admission("c-bob", T, null), T + 3).allowed()).isTrue();
  }

  @Test
  void aStoreThatSwitchedFacesOffNeverUsesThem() {
    ComplianceFixture f = new ComplianceFixture("US-IL",
        ComplianceSettings.DEFAULTS.withEnabledModalities(EnumSet.of(Modality.HAND)));
    f.get(VisitCompliance.class).ensurePublished(T);
    sign(f, "c-alice", T);

    GuardDecision decision = face(f, ALICE, T + 1);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.rule()).isEqualTo("store setting (R3)");
  }

  @Test
  void biometricDataServesOnlyTheDisclosedPurposeAndTheEuBansEmotionRecognition() {
    ComplianceFixture f = store("FR");
    sign(f, "c-alice", T);
    ComplianceGuard guard = f.get(ComplianceGuard.class);

    assertThat(face(f, ALICE, T + 1).allowed()).isTrue();
    GuardDecision emotion = guard.check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.EMOTION_RECOGNITION, ALICE,
        T + 1));
    assertThat(emotion.allowed()).isFalse();
    assertThat(emotion.rule()).isEqualTo("AI Act Art. 5(1)(f)");
    assertThat(guard.check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.MARKETING, ALICE, T + 1)).allowed())
        .isFalse();
    assertThat(guard.check(new DataUse(DataCategory.PURCHASE, Purpose.MARKETING, ALICE, T + 1)).allowed()).isFalse();
    assertThat(guard.check(new DataUse(DataCategory.PURCHASE, Purpose.PAYMENT, ALICE, T + 1)).allowed()).isTrue();
  }
}
