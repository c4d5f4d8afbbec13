package dev.jwo.compliance;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a written biometric disclosure says, before it is rendered: its version id (the value an entry's
 * {@code consent} field names), the modalities it asks for, the specific purpose in plain words, and how long a
 * release signed against it stays valid. The text itself is rendered from these terms and the store's retention
 * settings; once published under a version, a disclosure's text never changes.
 */
public record DisclosureTerms(String version, Set<Modality> modalities, String purposeText, Duration consentValidFor) {
  public DisclosureTerms {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("a disclosure needs a version id");
    }
    if (modalities == null || modalities.isEmpty()) {
      throw new IllegalArgumentException("disclosure " + version + " must name at least one modality");
    }
    modalities = Set.copyOf(EnumSet.copyOf(modalities));
    if (purposeText == null || purposeText.isBlank()) {
      throw new IllegalArgumentException("disclosure " + version + " must state its specific purpose");
    }
    Objects.requireNonNull(consentValidFor, "consentValidFor");
    if (consentValidFor.isNegative() || consentValidFor.isZero()) {
      throw new IllegalArgumentException("disclosure " + version + ": a release must be valid for some time");
    }
  }
}
