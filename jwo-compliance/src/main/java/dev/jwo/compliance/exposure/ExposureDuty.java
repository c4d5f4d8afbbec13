package dev.jwo.compliance.exposure;

import java.util.Objects;

/**
 * One duty of a law besides consent before collection, priced: retention and destruction on schedule (740 ILCS
 * 14/15(a)), no disclosure (15(d)), protection to the standard of care (15(e)).
 *
 * @param duty {@code retention}, {@code disclosure} or {@code security}
 * @param citation the section that sets the duty
 * @param violations persons in breach of it (one violation per person)
 * @param negligentMinor the statutory damages if negligent, in US cents
 * @param intentionalMinor if intentional or reckless
 * @param basis what was counted, in words
 */
public record ExposureDuty(
    String duty, String citation, long violations, long negligentMinor, long intentionalMinor, String basis) {
  public ExposureDuty {
    Objects.requireNonNull(duty, "duty");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(basis, "basis");
  }
}
