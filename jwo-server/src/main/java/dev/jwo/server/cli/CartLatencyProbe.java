package dev.jwo.server.cli;

import dev.jwo.cart.v1.Cart;
import dev.jwo.cart.v1.CartLine;
import dev.jwo.cart.v1.CartServiceGrpc;
import dev.jwo.cart.v1.WatchCartRequest;
import dev.jwo.core.BinId;
import dev.jwo.core.GateId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.IngestStream;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Times how long a cart takes to show a shelf event: watches ({@code CartService.WatchCart}) the cart of every visit
 * whose entry scan the load had accepted, and for each change of a line's quantity takes the oldest shelf event of
 * that product not yet matched whose acknowledgement came at most {@value #MATCH_SECONDS} s earlier. A shelf event
 * is the first weight reading of a bin that differs from the bin's previous reading by half a unit of its product
 * or more; readings of the same bin within {@value #EPISODE_MILLIS} ms after it belong to the same event. Only the
 * messages given to {@link #sent} and {@link #acknowledged} are watched (one stream replayed at its own pace, so that
 * the store sees the shoppers it simulated). Thread-safe.
 */
final class CartLatencyProbe implements AutoCloseable {
  private static final int MAX_WATCHES = 200;
  private static final long MATCH_SECONDS = 10;
  private static final long EPISODE_MILLIS = 2_000;
  private static final int NOT_FOUND_RETRIES = 40;

  private final CartServiceGrpc.CartServiceStub carts;
  private final StoreLayout layout;
  private final long measureFrom;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "jwo-load-cart-watch");
    t.setDaemon(true);
    return t;
  });
  private final LatencyHistogram latency = new LatencyHistogram();
  /** Per bin: its last reading's grams and time, and when its current shelf event began. */
  private final Map<String, double[]> bins = new HashMap<>();
  /** Shelf events sent, by message (source and sequence), until acknowledged. */
  private final Map<String, Step> unacknowledged = new HashMap<>();
  /** Acknowledged shelf events not yet matched, per SKU, oldest first. */
  private final Map<String, Deque<Step>> open = new HashMap<>();
  private final List<Context.CancellableContext> watches = new ArrayList<>();
  private long shelfEvents;
  private long visitsWatched;
  private long changes;
  private long unmatched;
  private long watchErrors;
  private boolean closed;

  /**
   * @param token a staff or reviewer token for {@code WatchCart}
   * @param measureFrom changes seen before this {@link System#nanoTime()} are not counted (warm-up)
   */
  CartLatencyProbe(Channel channel, String token, StoreLayout layout, long measureFrom) {
    Metadata headers = new Metadata();
    headers.put(IngestStream.AUTHORIZATION, "Bearer " + token);
    this.carts = CartServiceGrpc.newStub(
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)));
    this.layout = layout;
    this.measureFrom = measureFrom;
  }

  /** Notes a message about to be sent, as stamped (source, sequence and time as the store gets them). */
  synchronized void sent(SensorEventMessage message) {
    if (!message.hasWeight()) {
      return;
    }
    String bin = message.getWeight().getBin();
    double grams = message.getWeight().getGrams();
    long ts = message.getTsMs();
    double[] last = bins.get(bin);
    if (last == null) {
      bins.put(bin, new double[] {grams, ts, Long.MIN_VALUE});
      return;
    }
    double unit = layout.bin(BinId.of(bin)).map(b -> layout.productIn(b).unitWeightGrams()).orElse(Double.NaN);
    boolean moved = Math.abs(grams - last[0]) >= unit / 2;
    boolean inEpisode = last[2] != Long.MIN_VALUE && ts - last[2] <= EPISODE_MILLIS;
    last[0] = grams;
    last[1] = ts;
    if (moved && !inEpisode) {
      last[2] = ts;
      String sku = layout.bin(BinId.of(bin)).map(b -> b.sku().value()).orElse("");
      unacknowledged.put(key(message), new Step(sku));
    } else if (!moved && !inEpisode) {
      last[2] = Long.MIN_VALUE;
    }
  }

  /** Notes the store's answers to a batch, received at {@code atNanos}; starts watching the visits it admitted. */
  void acknowledged(List<SensorEventMessage> batch, List<IngestAck> acks, long atNanos) {
    List<String> admitted = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < batch.size() && i < acks.size(); i++) {
        SensorEventMessage message = batch.get(i);
        boolean accepted = acks.get(i).getOutcome() == IngestAck.Outcome.ACCEPTED;
        Step step = unacknowledged.remove(key(message));
        if (step != null && accepted) {
          step.ackNanos = atNanos;
          shelfEvents++;
          open.computeIfAbsent(step.sku, s -> new ArrayDeque<>()).add(step);
        }
        if (message.hasEntry() && accepted) {
          admitted.add(Admission.visitIdFor(GateId.of(message.getEntry().getGate()), message.getTsMs()).value());
        }
      }
    }
    for (String visit : admitted) {
      watch(visit, 0);
    }
  }

  private void watch(String visit, int attempt) {
    Context.CancellableContext context;
    synchronized (this) {
      if (closed || (attempt == 0 && visitsWatched >= MAX_WATCHES)) {
        return;
      }
      if (attempt == 0) {
        visitsWatched++;
      }
      context = Context.current().withCancellation();
      watches.add(context);
    }
    context.run(() -> carts.watchCart(WatchCartRequest.newBuilder().setVisitId(visit).build(),
        new StreamObserver<Cart>() {
          private Map<String, Integer> lines = Map.of();
          private boolean first = true;

          @Override
          public void onNext(Cart cart) {
            long now = System.nanoTime();
            Map<String, Integer> next = new HashMap<>();
            for (CartLine line : cart.getLinesList()) {
              next.merge(line.getSku(), line.getQuantity(), Integer::sum);
            }
            if (!first) {
              for (String sku : union(lines, next)) {
                if (!lines.getOrDefault(sku, 0).equals(next.getOrDefault(sku, 0))) {
                  changed(sku, now);
                }
              }
            }
            first = false;
            lines = next;
          }

          @Override
          public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            if (status.getCode() == Status.Code.NOT_FOUND && attempt < NOT_FOUND_RETRIES) {
              // The store opens the visit once event time has moved a reordering window past the entry.
              retry(visit, attempt + 1);
            } else if (status.getCode() != Status.Code.CANCELLED) {
              synchronized (CartLatencyProbe.this) {
                watchErrors++;
              }
            }
          }

          @Override
          public void onCompleted() {}
        }));
  }

  private void retry(String visit, int attempt) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    ScheduledFuture<?> unused = retries.schedule(() -> watch(visit, attempt), 250, TimeUnit.MILLISECONDS);
  }

  private static List<String> union(Map<String, Integer> a, Map<String, Integer> b) {
    List<String> keys = new ArrayList<>(a.keySet());
    for (String k : b.keySet()) {
      if (!a.containsKey(k)) {
        keys.add(k);
      }
    }
    return keys;
  }

  private synchronized void changed(String sku, long now) {
    Deque<Step> steps = open.get(sku);
    while (steps != null && !steps.isEmpty()
        && now - steps.peekFirst().ackNanos > TimeUnit.SECONDS.toNanos(MATCH_SECONDS)) {
      steps.pollFirst();
    }
    Step step = steps == null ? null : steps.pollFirst();
    if (step == null) {
      if (now >= measureFrom) {
        unmatched++;
      }
      return;
    }
    if (step.ackNanos >= measureFrom) {
      changes++;
      latency.record(Math.max(0, now - step.ackNanos), 1);
    }
  }

  /** Prints what was measured. */
  synchronized void report() {
    if (latency.count() == 0) {
      System.out.printf("cart-update latency: no cart change matched (%d shelf events acknowledged, %d visits "
          + "watched, %d cart changes without a shelf event, %d watches failed)%n", shelfEvents, visitsWatched,
          unmatched, watchErrors);
      return;
    }
    System.out.printf(java.util.Locale.ROOT, "cart-update latency (shelf event acknowledged -> WatchCart): p50 %.1f "
        + "ms, p99 %.1f ms, max %.1f ms over %d changes (%d shelf events acknowledged, %d visits watched, %d cart "
        + "changes without a shelf event)%n", latency.percentileMillis(0.5), latency.percentileMillis(0.99),
        latency.maxMillis(), changes, shelfEvents, visitsWatched, unmatched);
  }

  @Override
  public void close() {
    List<Context.CancellableContext> open;
    synchronized (this) {
      closed = true;
      open = List.copyOf(watches);
    }
    for (Context.CancellableContext context : open) {
      context.cancel(null);
    }
    retries.shutdownNow();
  }

  private static String key(SensorEventMessage message) {
    return message.getSource() + '#' + message.getSequence();
  }

  /** A shelf event sent: the product of its bin and when it was acknowledged. */
  private static final class Step {
    final String sku;
    long ackNanos;

    Step(String sku) {
      this.sku = sku;
    }
  }
}
