package dev.jwo.compliance;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How one store runs its privacy program: who it is in its documents, which biometric modalities it switches on
 * (R3), the disclosures shoppers may sign (R2), and its own retention limits (R5, R6), which apply only where they
 * are stricter than the law's.
 *
 * @param controllerName the retailer's name as it appears in public documents
 * @param contact where shoppers send requests (an address, a URL or a desk)
 * @param enabledModalities the modalities this store may use at all; the law may forbid more
 * @param disclosures the disclosures shoppers may sign, each with its own version id
 * @param retainAfterPurpose how long biometric data is kept after its purpose is satisfied (the visit is settled)
 * @param retainAfterLastInteraction the longest biometric data is kept after the person's last interaction
 */
public record ComplianceSettings(
    String controllerName,
    String contact,
    Set<Modality> enabledModalities,
    List<DisclosureTerms> disclosures,
    Duration retainAfterPurpose,
    Duration retainAfterLastInteraction) {

  /**
   * Face features enabled (used only where the law and a signed release allow), one disclosure with version
   * {@code bio-2026-01}, data destroyed as soon as the visit is settled and never kept more than a year.
   */
  public static final ComplianceSettings DEFAULTS = new ComplianceSettings(
      "The store operator",
      "the customer service desk of this store",
      EnumSet.of(Modality.FACE),
      List.of(new DisclosureTerms("bio-2026-01", EnumSet.of(Modality.FACE),
          "to follow you through the store and tell which items you took, so that you are charged for exactly"
              + " those items when you leave",
          Duration.ofDays(365))),
      Duration.ZERO,
      Duration.ofDays(365));

  public ComplianceSettings {
    if (controllerName == null || controllerName.isBlank()) {
      throw new IllegalArgumentException("controllerName is required: it names the retailer in public documents");
    }
    if (contact == null || contact.isBlank()) {
      throw new IllegalArgumentException("contact is required: shoppers need to know where to send requests");
    }
    enabledModalities = enabledModalities.isEmpty()
        ? Set.of() : Set.copyOf(EnumSet.copyOf(enabledModalities));
    disclosures = List.copyOf(disclosures);
    Set<String> versions = new HashSet<>();
    for (DisclosureTerms terms : disclosures) {
      if (!versions.add(terms.version())) {
        throw new IllegalArgumentException("disclosure version " + terms.version() + " is configured twice");
      }
    }
    Objects.requireNonNull(retainAfterPurpose, "retainAfterPurpose");
    Objects.requireNonNull(retainAfterLastInteraction, "retainAfterLastInteraction");
    if (retainAfterPurpose.isNegative() || retainAfterLastInteraction.isNegative()) {
      throw new IllegalArgumentException("retention periods must not be negative");
    }
  }

  /** These settings with only {@code modalities} switched on. */
  public ComplianceSettings withEnabledModalities(Set<Modality> modalities) {
    return new ComplianceSettings(controllerName, contact, modalities, disclosures, retainAfterPurpose,
        retainAfterLastInteraction);
  }

  /** These settings with other retention periods. */
  public ComplianceSettings withRetention(Duration afterPurpose, Duration afterLastInteraction) {
    return new ComplianceSettings(controllerName, contact, enabledModalities, disclosures, afterPurpose,
        afterLastInteraction);
  }
}
