package dev.jwo.payments.settlement;

import dev.jwo.payments.PaymentScheduler;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The default {@link PaymentScheduler}: one daemon thread that hands each task back when its delay is over. */
@Singleton
public final class ExecutorPaymentScheduler implements PaymentScheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "jwo-payment-retries");
    t.setDaemon(true);
    return t;
  });

  @Override
  public void schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> unused = executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
