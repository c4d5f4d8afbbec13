package dev.jwo.core.ingest;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.VisitId;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.visit.Admission;
import java.util.Optional;

/**
 * Keeps an entry's raw credential out of the input journal ({@link IngestLog#STREAM}). Before an entry is written,
 * {@link #seal} replaces its credential by a sealed form and the person's keyed subject; on replay after a restart
 * {@link #open} gives the credential back while the visit's key is kept. Once the key is destroyed (when the
 * visit's payment records' retention ends), the journaled entry opens to nothing and its credential stands only as
 * its keyed subject ({@link Credential#erasedTo}). Without the compliance module, {@link #NONE} journals the
 * credential as received. Called on the ingest log's threads.
 */
public interface CredentialSeal {
  /** Journals the credential as received. */
  CredentialSeal NONE = new CredentialSeal() {
    @Override
    public EntryScan seal(VisitId visit, EntryScan entry) {
      return entry;
    }

    @Override
    public Optional<Credential> open(VisitId visit, EntryScan sealed) {
      return Optional.empty();
    }
  };

  /**
   * The entry of {@code visit} as it may be journaled: without {@code credential}, with {@code sealed_credential}
   * and {@code credential_subject} instead.
   */
  EntryScan seal(VisitId visit, EntryScan entry);

  /** The credential a {@linkplain #seal sealed} entry of {@code visit} stands for, while the visit's key is kept. */
  Optional<Credential> open(VisitId visit, EntryScan sealed);

  /** {@code message} as journaled: an entry sealed by {@code seal}, anything else as it is. */
  static SensorEventMessage sealed(CredentialSeal seal, SensorEventMessage message) {
    if (seal == NONE || !message.hasEntry() || message.getEntry().getCredential().isEmpty()) {
      return message;
    }
    return message.toBuilder().setEntry(seal.seal(visitOf(message), message.getEntry())).build();
  }

  /**
   * A journaled {@code message} with its entry's credential opened by {@code seal} while it can be; otherwise as it
   * is (its credential then reads as the keyed subject).
   */
  static SensorEventMessage opened(CredentialSeal seal, SensorEventMessage message) {
    if (!message.hasEntry() || message.getEntry().getSealedCredential().isEmpty()) {
      return message;
    }
    EntryScan entry = message.getEntry();
    return seal.open(visitOf(message), entry)
        .map(c -> message.toBuilder().setEntry(entry.toBuilder().setCredential(c.reveal())).build())
        .orElse(message);
  }

  private static VisitId visitOf(SensorEventMessage entry) {
    return Admission.visitIdFor(GateId.of(entry.getEntry().getGate()), entry.getTsMs());
  }
}
