package dev.jwo.server.ops;

import com.google.inject.Injector;
import dev.jwo.cart.checkout.ReviewQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The meters of a served store that no module registers itself: the JVM's (memory, garbage collection,
 * threads, classes, processor, uptime) and the review queue's length ({@code jwo.review.pending}). The modules
 * register the rest: {@code jwo.ingest.messages} (by source, outcome and reason), {@code jwo.pipeline.lag},
 * {@code jwo.checkout.visits} (by decision), {@code jwo.payments.*} and the gRPC calls' meters.
 */
public final class StoreMeters implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private StoreMeters() {}

  /** Registers the meters of the store wired by {@code injector} with its {@link MeterRegistry}. */
  public static StoreMeters register(Injector injector) {
    MeterRegistry registry = injector.getInstance(MeterRegistry.class);
    StoreMeters meters = new StoreMeters();
    new JvmMemoryMetrics().bindTo(registry);
    meters.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    ReviewQueue review = injector.getInstance(ReviewQueue.class);
    registry.gauge("jwo.review.pending", review, ReviewQueue::size);
    return meters;
  }

  @Override
  public void close() {
    gc.close();
  }
}
