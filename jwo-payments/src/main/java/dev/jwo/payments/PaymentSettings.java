package dev.jwo.payments;

import java.time.Duration;
import java.util.Objects;

/**
 * How payments are made.
 *
 * @param preAuthorizationMinor the hold placed at entry, in minor units of the store's currency
 * @param callTimeout how long one provider call may take before it counts as failed (and may be retried)
 * @param maxAttempts how many times a retriable failure is tried in all
 * @param retryBackoff the wait before the second attempt; doubled before each further one
 */
public record PaymentSettings(long preAuthorizationMinor, Duration callTimeout, int maxAttempts, Duration retryBackoff) {
  public static final PaymentSettings DEFAULTS =
      new PaymentSettings(5_000, Duration.ofSeconds(5), 3, Duration.ofMillis(200));

  public PaymentSettings {
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    if (preAuthorizationMinor < 0 || maxAttempts < 1 || callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("payment settings must be positive");
    }
  }
}
