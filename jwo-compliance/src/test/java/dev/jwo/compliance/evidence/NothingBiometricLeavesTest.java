package dev.jwo.compliance.evidence;

import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.ComplianceSummary;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.visit.Admission;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;

/** R9: metrics, the audit chain and the evidence carry no biometric data and no credential or pseudonym. */
class NothingBiometricLeavesTest {
  static final double[] FACE = {0.7071067811, 0.1234567891};

  @Test
  void metricsAuditAndEvidenceHoldNoBiometricValuesOrIdentities() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    Admission alice = admission("c-alice-secret", T, "bio-2026-01");
    Admission bob = admission("c-bob-secret", T, null);
    f.sign("c-alice-secret", T);
    f.get(VisitCompliance.class).visitStarted(alice);
    f.get(VisitCompliance.class).visitStarted(bob);
    ComplianceGuard guard = f.get(ComplianceGuard.class);
    for (Admission who : new Admission[] {alice, bob}) {
      GuardDecision d = guard.check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.CHECKOUT_TRACKING, who, T + 5));
      f.get(CaptureLog.class).record(FeatureKind.FACE_GEOMETRY, who, d, d.allowed(), T + 5);
      if (d.allowed()) {
        f.get(BiometricVault.class).keep(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY.subject(who.credential()), who.visitId().value(),
            DataCategory.FACE_GEOMETRY, FACE, T + 5);
      }
    }

    for (Meter meter : f.get(MeterRegistry.class).getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertThat(tag.getValue()).doesNotContain("cred:").doesNotContain("secret").doesNotContain("0.70710");
      }
    }
    String audit = f.get(AuditChain.class).records().toString();
    assertThat(audit).doesNotContain("0.70710").doesNotContain("secret");
    String evidence = Canonical.pretty(f.get(ComplianceEvidence.class).toJson());
    assertThat(evidence).doesNotContain("cred:").doesNotContain("secret").doesNotContain("0.70710");
    ComplianceSummary summary = f.get(ComplianceEvidence.class).summary();
    assertThat(summary.toText()).doesNotContain("cred:");
    assertThat(summary.biometricUsed()).isEqualTo(1);
    assertThat(summary.biometricDropped()).isEqualTo(1);
    assertThat(summary.consentsRecorded()).isEqualTo(1);
    assertThat(summary.templatesHeld()).isEqualTo(1);
    assertThat(summary.auditVerified()).isTrue();
  }
}
