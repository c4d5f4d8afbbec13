package dev.jwo.compliance.exposure;

import dev.jwo.compliance.policy.Damages;
import java.util.Objects;

/**
 * One law's view of a store's biometric captures.
 *
 * @param jurisdiction the policy's code, e.g. {@code US-IL}
 * @param captured persons times methods whose biometric data was used
 * @param withValidConsent of those, how many were covered by a valid release (or needed none) at every capture
 * @param withoutValidConsent how many were not: each is one violation (per person per method)
 * @param droppedAtDoor persons times methods whose data was received but dropped at the door (not a use; listed for
 *     the retailer to judge, since a court may count receipt as collection)
 * @param violationDays distinct days with a violation (for laws that count per day)
 * @param violations the count priced: persons times methods, or days
 * @param negligentMinor the statutory damages if negligent, in US cents (0 where not priced per violation)
 * @param intentionalMinor if intentional or reckless
 */
public record ExposureLine(
    String jurisdiction, String law, long captured, long withValidConsent, long withoutValidConsent,
    long droppedAtDoor, long violationDays, long violations, Damages.Unit unit, long negligentMinor,
    long intentionalMinor, String citation, String note) {
  public ExposureLine {
    Objects.requireNonNull(jurisdiction, "jurisdiction");
    Objects.requireNonNull(law, "law");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(note, "note");
  }
}
