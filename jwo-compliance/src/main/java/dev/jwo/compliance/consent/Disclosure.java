package dev.jwo.compliance.consent;

import dev.jwo.compliance.Modality;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A published written disclosure: the exact text a shopper reads before signing, with its version, SHA-256, the
 * modalities and specific purpose it covers, and how long a release signed against it stays valid.
 */
public record Disclosure(
    String version, String text, String sha256, Set<Modality> modalities, String purpose, Duration term,
    long publishedTs) {
  public Disclosure {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sha256, "sha256");
    modalities = Set.copyOf(EnumSet.copyOf(modalities));
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(term, "term");
  }
}
