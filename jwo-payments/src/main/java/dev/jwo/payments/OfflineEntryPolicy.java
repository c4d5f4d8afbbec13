package dev.jwo.payments;

/**
 * Whether a party is let in without a hold when the card processor cannot be reached at the gate (no answer within
 * {@link PaymentSettings#callTimeout()}, or an outage), and how much checkout may then charge without a reviewer. A
 * declined card or a hold the processor refuses never lets a party in. A visit admitted this way is authorized and
 * captured at checkout for a total up to {@link #capMinor()}; a larger cart is charged nothing until a reviewer
 * decides (its receipt held for review, an incident recorded).
 *
 * @param capMinor the most a visit admitted without a hold is charged without a reviewer, in minor units of the
 *     store's currency; 0 for a store that admits nobody without a hold
 */
public record OfflineEntryPolicy(long capMinor) {
  /** Nobody is admitted without a hold: the default. */
  public static final OfflineEntryPolicy NEVER = new OfflineEntryPolicy(0);

  public OfflineEntryPolicy {
    if (capMinor < 0) {
      throw new IllegalArgumentException("the offline entry cap must not be negative, was " + capMinor);
    }
  }

  /** A policy admitting parties without a hold while the processor is unreachable, charging up to {@code capMinor}. */
  public static OfflineEntryPolicy upTo(long capMinor) {
    if (capMinor <= 0) {
      throw new IllegalArgumentException("a cap to admit without a hold must be positive, was " + capMinor);
    }
    return new OfflineEntryPolicy(capMinor);
  }

  /** Whether a party may come in without a hold when the processor cannot be reached. */
  public boolean admitsWithoutHold() {
    return capMinor > 0;
  }
}
