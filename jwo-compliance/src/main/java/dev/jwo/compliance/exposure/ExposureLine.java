package dev.jwo.compliance.exposure;

import dev.jwo.compliance.policy.Damages;
import java.util.List;
import java.util.Objects;

/**
 * One law's view of a store's biometric captures.
 *
 * @param jurisdiction the policy's code, e.g. {@code US-IL}
 * @param captured persons times methods whose biometric data was used
 * @param received persons times methods whose biometric data the store received, used or not: receiving it is
 *     collecting it
 * @param withValidConsent of those received, how many were covered by their own valid release (or needed none) at
 *     every receipt
 * @param withoutValidConsent how many were not: each is one violation (per person per method)
 * @param droppedAtDoor persons times methods whose data was received and only removed at the door (counted in
 *     {@code received}, and a violation when not covered)
 * @param violationDays distinct days with a violation (for laws that count per day)
 * @param violations the count priced: persons times methods, or days
 * @param negligentMinor the statutory damages if negligent, in US cents (0 where not priced per violation)
 * @param intentionalMinor if intentional or reckless
 * @param duties the law's other duties, priced per person (included in the totals)
 */
public record ExposureLine(
    String jurisdiction, String law, long captured, long received, long withValidConsent, long withoutValidConsent,
    long droppedAtDoor, long violationDays, long violations, Damages.Unit unit, long negligentMinor,
    long intentionalMinor, String citation, String note, List<ExposureDuty> duties) {
  public ExposureLine {
    Objects.requireNonNull(jurisdiction, "jurisdiction");
    Objects.requireNonNull(law, "law");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(note, "note");
    duties = List.copyOf(duties);
  }

  /** Collection and every duty, if negligent. */
  public long totalNegligentMinor() {
    return negligentMinor + duties.stream().mapToLong(ExposureDuty::negligentMinor).sum();
  }

  /** Collection and every duty, if intentional or reckless. */
  public long totalIntentionalMinor() {
    return intentionalMinor + duties.stream().mapToLong(ExposureDuty::intentionalMinor).sum();
  }
}
