package dev.jwo.testing.pipeline;

import com.google.protobuf.ByteString;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.visit.Admission;

/**
 * A {@link SnapshotSeal} for tests: seals a credential by reversing it behind a subject, so that it cannot be read
 * in a snapshot's bytes, and opens it exactly. No protection at all; a store seals with its credential keys.
 */
public final class ReversingSnapshotSeal implements SnapshotSeal {

  @Override
  public AdmissionState seal(Admission admission) {
    String credential = admission.credential().reveal();
    EntryScan.Builder entry = EntryScan.newBuilder()
        .setGate(admission.gate().value())
        .setPartySize(admission.partySize())
        .setSealedCredential(ByteString.copyFromUtf8(new StringBuilder(credential).reverse().toString()))
        .setCredentialSubject("s-" + credential.length());
    if (admission.consentVersion() != null) {
      entry.setConsentVersion(admission.consentVersion());
    }
    return AdmissionState.newBuilder().setTs(admission.ts()).setEntry(entry).build();
  }

  @Override
  public Admission open(AdmissionState sealed) {
    EntryScan entry = sealed.getEntry();
    GateId gate = GateId.of(entry.getGate());
    return new Admission(Admission.visitIdFor(gate, sealed.getTs()), sealed.getTs(), gate,
        Credential.of(new StringBuilder(entry.getSealedCredential().toStringUtf8()).reverse().toString()),
        entry.getPartySize(), entry.getConsentVersion().isEmpty() ? null : entry.getConsentVersion());
  }
}
