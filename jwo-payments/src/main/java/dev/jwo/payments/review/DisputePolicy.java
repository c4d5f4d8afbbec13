package dev.jwo.payments.review;

import dev.jwo.payments.v1.ContestReason;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the store refunds without a reviewer: contests of at most {@code autoRefundLimitMinor} (minor units of the
 * store's currency) for one of {@code autoRefundReasons}. Everything else goes to the review desk.
 */
public record DisputePolicy(long autoRefundLimitMinor, Set<ContestReason> autoRefundReasons) {
  /** Up to 10.00 at once for anything but "other". */
  public static final DisputePolicy DEFAULTS = new DisputePolicy(1_000, EnumSet.of(
      ContestReason.NOT_TAKEN, ContestReason.WRONG_PRODUCT, ContestReason.WRONG_QUANTITY,
      ContestReason.CHARGED_TWICE));

  public DisputePolicy {
    Objects.requireNonNull(autoRefundReasons, "autoRefundReasons");
    if (autoRefundLimitMinor < 0) {
      throw new IllegalArgumentException("the auto-refund limit must not be negative");
    }
    autoRefundReasons = Set.copyOf(autoRefundReasons);
  }

  /** Whether a contest of {@code amountMinor} for {@code reason} is refunded at once. */
  public boolean refundsAtOnce(long amountMinor, ContestReason reason) {
    return amountMinor <= autoRefundLimitMinor && autoRefundReasons.contains(reason);
  }
}
