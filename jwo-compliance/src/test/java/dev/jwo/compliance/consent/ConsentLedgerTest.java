package dev.jwo.compliance.consent;

import static dev.jwo.compliance.ComplianceFixture.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** R2: a consent ledger with the exact disclosure, per modality, with e-signature evidence, queryable at an instant. */
class ConsentLedgerTest {
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final ComplianceFixture f =
      new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, storage, VaultMasterKey.random());

  private Disclosure disclosure() {
    f.get(VisitCompliance.class).ensurePublished(T);
    return f.get(DocumentLibrary.class).currentDisclosure().orElseThrow();
  }

  @Test
  void theDisclosureCarriesItsExactTextHashPurposeAndTerm() {
    Disclosure d = disclosure();

    assertThat(d.version()).isEqualTo("bio-2026-01");
    assertThat(d.sha256()).isEqualTo(Canonical.sha256Hex(d.text()));
    assertThat(d.text()).contains("Specific purpose").contains("Length of term").contains("face geometry")
        .contains("written release").contains(d.purpose());
    assertThat(d.term()).isEqualTo(ComplianceSettings.DEFAULTS.disclosures().get(0).consentValidFor());
  }

  @Test
  void aReleaseIsRecordedWithItsEvidenceAndSurvivesARestart() {
    Disclosure d = disclosure();
    Consent c = f.get(ConsentLedger.class).record("cred:alice", d, Set.of(Modality.FACE),
        new SignatureEvidence("app-tap-to-sign", d.sha256(), "app 4.2"), Channel.APP, T + 100);

    ConsentLedger reopened = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, storage,
        VaultMasterKey.random()).get(ConsentLedger.class);

    assertThat(reopened.consents("cred:alice")).containsExactly(c);
    assertThat(reopened.validConsent("cred:alice", Modality.FACE, T + 100)).hasValue(c);
    assertThat(reopened.validConsent("cred:alice", Modality.FACE, T + 99)).isEmpty();
    assertThat(reopened.validConsent("cred:alice", Modality.HAND, T + 100)).isEmpty();
    AuditRecord record = f.get(AuditChain.class).records().stream()
        .filter(r -> r.type() == AuditType.CONSENT_RECORDED).findFirst().orElseThrow();
    assertThat(record.subject()).isEqualTo("cred:alice");
    assertThat(record.detail("disclosure_sha256")).isEqualTo(d.sha256());
    assertThat(record.detail("channel")).isEqualTo("app");
    assertThat(record.detail("signature_method")).isEqualTo("app-tap-to-sign");
  }

  @Test
  void aSignatureOverAnotherTextOrForAnotherModalityIsRefused() {
    Disclosure d = disclosure();
    ConsentLedger ledger = f.get(ConsentLedger.class);

    assertThatThrownBy(() -> ledger.record("cred:alice", d, Set.of(Modality.FACE),
        new SignatureEvidence("app", "0".repeat(64), ""), Channel.APP, T))
        .isInstanceOf(ComplianceException.class).hasMessageContaining("another text");
    assertThatThrownBy(() -> ledger.record("cred:alice", d, EnumSet.of(Modality.FACE, Modality.VOICE),
        new SignatureEvidence("app", d.sha256(), ""), Channel.APP, T))
        .isInstanceOf(ComplianceException.class).hasMessageContaining("covers only");
    assertThat(ledger.consents("cred:alice")).isEmpty();
  }

  @Test
  void aWithdrawalEndsTheReleaseAtItsInstantAndANewReleaseRestoresIt() {
    Disclosure d = disclosure();
    ConsentLedger ledger = f.get(ConsentLedger.class);
    SignatureEvidence signature = new SignatureEvidence("kiosk-stylus", d.sha256(), "");
    ledger.record("cred:alice", d, Set.of(Modality.FACE), signature, Channel.KIOSK, T);
    ledger.withdraw("cred:alice", Set.of(Modality.FACE), Channel.APP, T + 50);

    assertThat(ledger.validConsent("cred:alice", Modality.FACE, T + 49)).isPresent();
    assertThat(ledger.validConsent("cred:alice", Modality.FACE, T + 50)).isEmpty();
    assertThat(ledger.optedOut("cred:alice", Modality.FACE, T + 50)).isTrue();

    ledger.record("cred:alice", d, Set.of(Modality.FACE), signature, Channel.KIOSK, T + 80);
    assertThat(ledger.validConsent("cred:alice", Modality.FACE, T + 80)).isPresent();
    assertThat(ledger.optedOut("cred:alice", Modality.FACE, T + 80)).isFalse();
    assertThat(f.get(AuditChain.class).records()).extracting(AuditRecord::type)
        .containsSubsequence(List.of(AuditType.CONSENT_RECORDED, AuditType.CONSENT_WITHDRAWN,
            AuditType.CONSENT_RECORDED));
  }
}
