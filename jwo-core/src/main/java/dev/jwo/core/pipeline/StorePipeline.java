package dev.jwo.core.pipeline;

import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.SensorEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-store pipeline. It takes sensor events from any source (live gRPC ingest or a replayed store log),
 * rejects invalid and duplicate ones with a clear reason, orders the rest by event time within the
 * {@linkplain PipelineSettings#reorderWindowMillis() reordering window}, and hands each to the
 * {@link SensorEventHandler}s in {@link PipelineStage} order. Thread-safe: calls are serialized, except
 * {@link #check} and {@link #newestSeen}, which read a recent published state without waiting for a call in
 * progress (an ingest thread screens new input while another thread feeds the pipeline).
 *
 * <p>Events are processed once they are a window's length behind the newest event seen, or at
 * {@link #advanceTo(long)} and {@link #finish()}. An event older than one already processed is rejected as
 * {@link RejectionReason#TOO_LATE}.
 */
@Singleton
public final class StorePipeline {
  private static final Logger log = LoggerFactory.getLogger(StorePipeline.class);

  private final EventValidator validator;
  private final List<SensorEventHandler> handlers;
  private final long window;
  private final MeterRegistry registry;

  private final PriorityQueue<Pending> buffer = new PriorityQueue<>(Pending::compare);
  /** Events received recently enough that a copy of them could still arrive; for duplicate detection. */
  private final Set<SensorEvent> recent = new HashSet<>();
  private final ArrayDeque<SensorEvent> recentInOrder = new ArrayDeque<>();

  private long sequence;
  /** Written only under the lock; volatile so that {@link #newestSeen} can read it without taking the lock. */
  private volatile long newestSeen = Long.MIN_VALUE;
  private long processedUpTo = Long.MIN_VALUE;
  private long time = Long.MIN_VALUE;
  /** {@code max(processedUpTo, time)} as of the end of the last call: what {@link #check} compares with. */
  private volatile long publishedHorizon = Long.MIN_VALUE;
  private boolean finished;

  private long accepted;
  private final Map<RejectionReason, Long> rejected = new EnumMap<>(RejectionReason.class);
  private long handlerErrors;
  private final Map<String, Counter> acceptedCounters = new HashMap<>();
  /** Rejection counters by event type and reason: a busy store rejects duplicates by the thousand. */
  private final Map<String, Map<RejectionReason, Counter>> rejectedCounters = new HashMap<>();
  private final AtomicInteger buffered = new AtomicInteger();

  @Inject
  public StorePipeline(
      StoreLayout layout, Set<SensorEventHandler> handlers, PipelineSettings settings, MeterRegistry registry) {
    this.validator = new EventValidator(layout, settings.limits());
    this.handlers = handlers.stream()
        .sorted(Comparator.comparing(SensorEventHandler::stage)
            .thenComparing(h -> h.getClass().getName()))
        .toList();
    this.window = settings.reorderWindowMillis();
    this.registry = registry;
    registry.gauge("jwo.pipeline.buffered", buffered);
  }

  /**
   * Offers one event. Returns the rejection if it was not taken; an accepted event is processed once event
   * time has moved a window past it.
   *
   * @throws IllegalStateException after {@link #finish()}
   */
  public synchronized Optional<Rejection> submit(SensorEvent event) {
    if (finished) {
      throw new IllegalStateException("the pipeline has finished; it takes no more events");
    }
    Rejection rejection = rejectionOf(event);
    if (event instanceof FrameEvent frame && rejection == null) {
      event = validator.withDeclaredFeaturesOnly(frame);
    }
    if (rejection == null && !recent.add(event)) {
      rejection = new Rejection(RejectionReason.DUPLICATE,
          event.type() + " event at ts " + event.ts() + " was already received");
    }
    if (rejection != null) {
      reject(event.type(), rejection);
      return Optional.of(rejection);
    }
    recentInOrder.add(event);
    accepted++;
    acceptedCounters
        .computeIfAbsent(event.type(), type -> Counter.builder("jwo.pipeline.events")
            .description("Sensor events offered to the pipeline")
            .tag("type", type)
            .tag("outcome", "accepted")
            .tag("reason", "none")
            .register(registry))
        .increment();
    buffer.add(new Pending(event, event.ts(), sequence++));
    buffered.set(buffer.size());
    if (event.ts() > newestSeen) {
      newestSeen = event.ts();
    }
    processUpTo(newestSeen - window);
    return Optional.empty();
  }

  /**
   * Whether {@link #submit} would reject the event as invalid or too late, without taking it and without waiting
   * for a call in progress: "too late" is judged against the state the last completed call left, so an event that
   * passes may still be rejected by {@link #submit}: as a duplicate, or as too late once other events have moved
   * time on.
   */
  public Optional<Rejection> check(SensorEvent event) {
    return Optional.ofNullable(rejectionOf(event, publishedHorizon));
  }

  /**
   * The latest event time seen so far (events are processed a reordering window behind it), if any; read without
   * waiting for a call in progress.
   */
  public OptionalLong newestSeen() {
    long newest = newestSeen;
    return newest == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(newest);
  }

  private @Nullable Rejection rejectionOf(SensorEvent event) {
    // Handlers have been told that no event earlier than `time` follows (a heartbeat may move it past processedUpTo).
    return rejectionOf(event, Math.max(processedUpTo, time));
  }

  private @Nullable Rejection rejectionOf(SensorEvent event, long horizon) {
    Rejection rejection = validator.check(event);
    if (rejection == null && event.ts() < horizon) {
      rejection = new Rejection(RejectionReason.TOO_LATE,
          event.type() + " event at ts " + event.ts() + " arrived after events up to ts " + horizon
              + " were processed (" + (horizon - event.ts()) + " ms late; the reordering window is "
              + window + " ms)");
    }
    return rejection;
  }

  /**
   * Runs {@code action} while no event is being processed (under the pipeline's lock) and returns its result: for
   * code on another thread that reads the stages' state, such as the feature intake asking the tracker who stands
   * where.
   */
  public synchronized <T> T whileIdle(Supplier<T> action) {
    return action.get();
  }

  /** Counts an event that never reached the pipeline, such as an unreadable message. */
  public synchronized void recordRejection(String eventType, Rejection rejection) {
    reject(eventType, rejection);
  }

  /**
   * Moves event time forward to {@code ts} as if an event had arrived then, e.g. on a sensor gateway's
   * heartbeat: events more than a window older are processed.
   */
  public synchronized void advanceTo(long ts) {
    if (ts > newestSeen) {
      newestSeen = ts;
    }
    processUpTo(newestSeen - window);
    tellTime(newestSeen - window);
    publishedHorizon = Math.max(processedUpTo, time);
  }

  /** Ends the input: processes everything still buffered and tells every handler that the stream ended. */
  public synchronized void finish() {
    if (finished) {
      return;
    }
    processUpTo(Long.MAX_VALUE);
    finished = true;
    long end = Math.max(time, newestSeen);
    for (SensorEventHandler handler : handlers) {
      try {
        handler.onEndOfStream(end);
      } catch (RuntimeException e) {
        handlerFailed(handler, "end of stream", e);
      }
    }
  }

  /**
   * The earliest event time whose input the handlers need to rebuild their state after a restart (see
   * {@link SensorEventHandler#needsInputSince}), or {@link Long#MIN_VALUE} while any handler needs all of it or
   * nothing was processed yet.
   */
  public synchronized long inputNeededSince() {
    if (time == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    long since = time;
    for (SensorEventHandler handler : handlers) {
      since = Math.min(since, handler.needsInputSince(time));
    }
    return since;
  }

  /** The latest event time processed so far. */
  public synchronized long eventTime() {
    return time;
  }

  public synchronized PipelineStats stats() {
    return new PipelineStats(accepted, rejected, handlerErrors);
  }

  private void processUpTo(long limit) {
    while (!buffer.isEmpty() && buffer.peek().ts() <= limit) {
      SensorEvent event = buffer.poll().event();
      processedUpTo = Math.max(processedUpTo, event.ts());
      for (SensorEventHandler handler : handlers) {
        try {
          handler.onEvent(event);
        } catch (RuntimeException e) {
          handlerFailed(handler, event.type() + " event at ts " + event.ts(), e);
        }
      }
      tellTime(event.ts());
    }
    buffered.set(buffer.size());
    if (processedUpTo != Long.MIN_VALUE) {
      forgetOlderThan(processedUpTo - window);
    }
    publishedHorizon = Math.max(processedUpTo, time);
  }

  private void tellTime(long ts) {
    if (ts <= time) {
      return;
    }
    time = ts;
    for (SensorEventHandler handler : handlers) {
      try {
        handler.onTimeAdvanced(ts);
      } catch (RuntimeException e) {
        handlerFailed(handler, "time " + ts, e);
      }
    }
  }

  private void forgetOlderThan(long ts) {
    while (!recentInOrder.isEmpty() && recentInOrder.peekFirst().ts() < ts) {
      recent.remove(recentInOrder.pollFirst());
    }
  }

  private void reject(String eventType, Rejection rejection) {
    rejected.merge(rejection.reason(), 1L, Long::sum);
    rejectedCounters
        .computeIfAbsent(eventType, type -> new EnumMap<>(RejectionReason.class))
        .computeIfAbsent(rejection.reason(), reason -> registry.counter("jwo.pipeline.events",
            "type", eventType, "outcome", "rejected", "reason", reason.name().toLowerCase(Locale.ROOT)))
        .increment();
  }

  private void handlerFailed(SensorEventHandler handler, String what, RuntimeException e) {
    handlerErrors++;
    registry.counter("jwo.pipeline.handler.errors", "handler", handler.getClass().getSimpleName()).increment();
    log.error("{} failed on {}; the pipeline goes on", handler.getClass().getSimpleName(), what, e);
  }

  /** A buffered event with its time kept at hand: the buffer compares it at every insertion and removal. */
  private record Pending(SensorEvent event, long ts, long sequence) {
    static int compare(Pending a, Pending b) {
      return a.ts != b.ts ? Long.compare(a.ts, b.ts) : Long.compare(a.sequence, b.sequence);
    }
  }
}
