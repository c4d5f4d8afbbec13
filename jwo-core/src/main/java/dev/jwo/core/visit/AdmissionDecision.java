package dev.jwo.core.visit;

import dev.jwo.core.Money;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AdmissionHold#beforeAdmission} did about the card of a party the gate may let in.
 *
 * @param kind whether a hold was placed now, an earlier one is used, or the party comes in without one
 * @param offlineCap for {@link Kind#WITHOUT_HOLD}, the most checkout charges the visit without a reviewer; null for
 *     the other kinds
 */
public record AdmissionDecision(Kind kind, @Nullable Money offlineCap) {
  /** What happened to the card. */
  public enum Kind {
    /** A hold was placed on the card now. */
    HOLD_PLACED,
    /** A hold placed when the same credential asked at the same gate earlier, not taken over yet, is used. */
    HOLD_PLACED_EARLIER,
    /** The processor did not answer, and the store's offline policy lets the party in without a hold. */
    WITHOUT_HOLD,
    /** The store places no hold at entry (it takes no payments). */
    NOT_NEEDED
  }

  /** The decision of a store that places no hold at entry. */
  public static final AdmissionDecision NOT_NEEDED = new AdmissionDecision(Kind.NOT_NEEDED, null);

  public AdmissionDecision {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.WITHOUT_HOLD) != (offlineCap != null)) {
      throw new IllegalArgumentException("an offline cap goes with an admission without a hold, and only with it");
    }
  }

  /** A hold placed now ({@code earlier} false) or when the party asked before ({@code earlier} true). */
  public static AdmissionDecision held(boolean earlier) {
    return new AdmissionDecision(earlier ? Kind.HOLD_PLACED_EARLIER : Kind.HOLD_PLACED, null);
  }

  /** Let in without a hold; checkout charges up to {@code cap} without a reviewer. */
  public static AdmissionDecision withoutHold(Money cap) {
    return new AdmissionDecision(Kind.WITHOUT_HOLD, Objects.requireNonNull(cap, "cap"));
  }
}
