package dev.jwo.compliance.retention;

import java.util.Locale;
import java.util.Objects;

/**
 * A hold that delays destruction of a person's data, placed only on a valid legal order whose reference is recorded
 * (740 ILCS 14/15(a): "unless a valid warrant or subpoena requires otherwise").
 *
 * @param subject the person's pseudonym
 * @param order the kind of order
 * @param reference the order's reference (docket, case or warrant number); required
 * @param authority who issued it
 * @param placedTs when the hold was placed
 */
public record LegalHold(String subject, Order order, String reference, String authority, long placedTs) {
  /** The kinds of order that can hold data. */
  public enum Order {
    WARRANT,
    SUBPOENA;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LegalHold {
    Objects.requireNonNull(order, "order");
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("a legal hold needs the subject's pseudonym");
    }
    if (reference == null || reference.strip().length() < 3) {
      throw new IllegalArgumentException("a legal hold needs the " + order.wireName()
          + "'s reference (docket, case or warrant number); without one, data is destroyed on schedule");
    }
    if (authority == null || authority.isBlank()) {
      throw new IllegalArgumentException("a legal hold needs the issuing court or authority");
    }
  }
}
