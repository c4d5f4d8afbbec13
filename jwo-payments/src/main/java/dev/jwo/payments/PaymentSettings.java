package dev.jwo.payments;

import java.time.Duration;
import java.util.Objects;

/**
 * How payments are made.
 *
 * @param preAuthorizationMinor the hold placed at entry, in minor units of the store's currency
 * @param callTimeout how long one provider call may take before it counts as failed (and is retried)
 * @param retryBackoff the wait before the first retry of a retriable failure; doubled before each further one
 * @param maxBackoff the longest wait between two retries (the cadence of the durable queue while a provider is down)
 * @param jitter the fraction of each wait that is random (0 to 1), so that retries of many visits spread out
 * @param giveUpAfter how long after the first failure a call is retried before the visit is marked failed
 * @param credentialRetention how long after a visit is settled its payment records (table {@code payments}, its
 *     receipts) keep the raw credential, once its payment is final: long enough for the card networks' dispute
 *     windows (default 120 days); then the credential is replaced by the store's keyed subject, and the visit's
 *     other records (its cart ledger, the input journal's sealed credential) are deleted
 * @param unsettledLimit how long after its entry, on the store's event time, a visit that was never settled (a
 *     review never resolved, a visit that never ended) is closed: its hold released, nothing charged, and its raw
 *     credential and other records erased at once (default 30 days, beyond the card networks' longest
 *     authorization hold, after which nothing could be charged on it anyway)
 */
public record PaymentSettings(
    long preAuthorizationMinor,
    Duration callTimeout,
    Duration retryBackoff,
    Duration maxBackoff,
    double jitter,
    Duration giveUpAfter,
    Duration credentialRetention,
    Duration unsettledLimit) {
  /** The default {@link #credentialRetention}: the longest usual chargeback window of the card networks. */
  public static final Duration CREDENTIAL_RETENTION = Duration.ofDays(120);
  /** The default {@link #unsettledLimit}. */
  public static final Duration UNSETTLED_LIMIT = Duration.ofDays(30);

  public static final PaymentSettings DEFAULTS = new PaymentSettings(
      5_000, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMinutes(1), 0.5, Duration.ofDays(3));

  /** Settings with the default {@link #CREDENTIAL_RETENTION} and {@link #UNSETTLED_LIMIT}. */
  public PaymentSettings(long preAuthorizationMinor, Duration callTimeout, Duration retryBackoff, Duration maxBackoff,
      double jitter, Duration giveUpAfter) {
    this(preAuthorizationMinor, callTimeout, retryBackoff, maxBackoff, jitter, giveUpAfter, CREDENTIAL_RETENTION,
        UNSETTLED_LIMIT);
  }

  public PaymentSettings {
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(giveUpAfter, "giveUpAfter");
    Objects.requireNonNull(credentialRetention, "credentialRetention");
    Objects.requireNonNull(unsettledLimit, "unsettledLimit");
    if (preAuthorizationMinor < 0 || callTimeout.isNegative() || callTimeout.isZero() || retryBackoff.isNegative()
        || maxBackoff.compareTo(retryBackoff) < 0 || giveUpAfter.isNegative() || credentialRetention.isNegative()
        || unsettledLimit.isNegative() || unsettledLimit.isZero()) {
      throw new IllegalArgumentException("payment settings must be positive, with maxBackoff >= retryBackoff");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
  }

  /** These settings with {@code retention} as the {@link #credentialRetention}. */
  public PaymentSettings withCredentialRetention(Duration retention) {
    return new PaymentSettings(preAuthorizationMinor, callTimeout, retryBackoff, maxBackoff, jitter, giveUpAfter,
        retention, unsettledLimit);
  }

  /** These settings with {@code limit} as the {@link #unsettledLimit}. */
  public PaymentSettings withUnsettledLimit(Duration limit) {
    return new PaymentSettings(preAuthorizationMinor, callTimeout, retryBackoff, maxBackoff, jitter, giveUpAfter,
        credentialRetention, limit);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first): the backoff doubled per retry, capped at
   * {@link #maxBackoff}, of which the fraction {@link #jitter} is scaled by {@code random} (in [0, 1)).
   */
  public Duration backoff(int retry, double random) {
    long base = retryBackoff.toMillis();
    long max = maxBackoff.toMillis();
    long delay = base;
    for (int i = 1; i < retry && delay < max; i++) {
      delay = Math.min(max, delay * 2);
    }
    delay = Math.min(max, delay);
    long fixed = Math.round(delay * (1 - jitter));
    return Duration.ofMillis(fixed + Math.round((delay - fixed) * random));
  }
}
