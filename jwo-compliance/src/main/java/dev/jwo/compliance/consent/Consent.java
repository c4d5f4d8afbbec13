package dev.jwo.compliance.consent;

import dev.jwo.compliance.Modality;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A signed release, as recorded: who (a pseudonym), against which disclosure (version and hash), for which
 * modalities, how it was signed, where, when, and until when it is valid.
 */
public record Consent(
    String id,
    String subject,
    String disclosureVersion,
    String disclosureSha256,
    Set<Modality> modalities,
    SignatureEvidence signature,
    Channel channel,
    long signedTs,
    long validUntilTs) {
  public Consent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(disclosureVersion, "disclosureVersion");
    Objects.requireNonNull(disclosureSha256, "disclosureSha256");
    modalities = Set.copyOf(EnumSet.copyOf(modalities));
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(channel, "channel");
  }

  /** Whether this release covers {@code modality} at {@code ts}, ignoring withdrawals. */
  public boolean covers(Modality modality, long ts) {
    return modalities.contains(modality) && signedTs <= ts && ts < validUntilTs;
  }
}
