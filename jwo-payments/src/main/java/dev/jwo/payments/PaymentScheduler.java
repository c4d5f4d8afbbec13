package dev.jwo.payments;

import java.time.Duration;

/**
 * Runs payment retries later. The default uses a daemon thread; tests drive a manual one, so that no test waits
 * for a backoff to pass.
 */
public interface PaymentScheduler {

  /** Runs {@code task} once after {@code delay} (at once for zero). Must not block. */
  void schedule(Duration delay, Runnable task);
}
