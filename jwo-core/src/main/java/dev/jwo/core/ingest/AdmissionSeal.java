package dev.jwo.core.ingest;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.visit.Admission;
import java.util.Optional;

/** Admissions in pipeline snapshots sealed by the store's {@link CredentialSeal}, as its journal keeps entries. */
final class AdmissionSeal implements SnapshotSeal {
  private final CredentialSeal credentials;

  AdmissionSeal(CredentialSeal credentials) {
    this.credentials = credentials;
  }

  @Override
  public AdmissionState seal(Admission admission) {
    EntryScan.Builder entry = EntryScan.newBuilder()
        .setGate(admission.gate().value())
        .setPartySize(admission.partySize());
    if (admission.consentVersion() != null) {
      entry.setConsentVersion(admission.consentVersion());
    }
    Credential credential = admission.credential();
    EntryScan kept;
    if (credential.erased()) {
      kept = entry.setCredentialSubject(credential.reveal()).build();
    } else {
      kept = credentials.seal(admission.visitId(), entry.setCredential(credential.reveal()).build());
    }
    return AdmissionState.newBuilder().setTs(admission.ts()).setEntry(kept).build();
  }

  @Override
  public Admission open(AdmissionState sealed) {
    EntryScan entry = sealed.getEntry();
    GateId gate = GateId.of(entry.getGate());
    Credential credential;
    if (!entry.getCredential().isEmpty()) {
      credential = Credential.of(entry.getCredential());
    } else {
      Optional<Credential> opened = entry.getSealedCredential().isEmpty() ? Optional.empty()
          : credentials.open(Admission.visitIdFor(gate, sealed.getTs()), entry);
      credential = opened.orElseGet(() -> Credential.erasedTo(entry.getCredentialSubject()));
    }
    return new Admission(Admission.visitIdFor(gate, sealed.getTs()), sealed.getTs(), gate, credential,
        entry.getPartySize(), entry.getConsentVersion().isEmpty() ? null : entry.getConsentVersion());
  }
}
