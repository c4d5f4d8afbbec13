package dev.jwo.compliance.policy;

import java.util.Objects;

/**
 * What a violation costs under one law, in US cents where it is priced per violation.
 *
 * @param unit what one violation is
 * @param negligentMinor damages or penalty per negligent violation (0 where the law does not price it so)
 * @param intentionalMinor per intentional or reckless violation
 * @param rule the section that sets them
 */
public record Damages(Unit unit, long negligentMinor, long intentionalMinor, Rule rule) {
  /** What one violation is. */
  public enum Unit {
    /** Each person, once per biometric method (740 ILCS 14/20 as amended in 2024). */
    PER_PERSON_PER_METHOD,
    /** Each violation, counted here as each person and method. */
    PER_VIOLATION,
    /** Each day on which the law was violated. */
    PER_DAY,
    /** A share of worldwide turnover, set by a regulator: not priced per person. */
    SHARE_OF_TURNOVER
  }

  public Damages {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(rule, "rule");
    if (negligentMinor < 0 || intentionalMinor < negligentMinor) {
      throw new IllegalArgumentException("damages must be non-negative, intentional at least negligent");
    }
  }
}
