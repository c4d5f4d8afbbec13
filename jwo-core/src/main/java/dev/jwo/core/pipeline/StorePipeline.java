package dev.jwo.core.pipeline;

import com.google.protobuf.ByteString;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.v1.EventCount;
import dev.jwo.core.v1.PipelineClock;
import dev.jwo.core.v1.StageState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
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
  /** What the counters below have counted, by event type (and reason): carried through snapshots. */
  private final Map<String, Long> acceptedByType = new TreeMap<>();
  private final Map<String, Map<RejectionReason, Long>> rejectedByType = new TreeMap<>();
  private final Map<String, Long> errorsByHandler = new TreeMap<>();
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
    countAccepted(event.type(), 1);
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

  /**
   * The state of every stage and of the pipeline's clock, if every stage can be snapshotted: a consistent
   * snapshot, taken between two calls. A stage can be snapshotted if it is a {@link SnapshotStage}, or if it needs
   * no input from before now ({@link SensorEventHandler#needsInputSince} answers the current event time: what it
   * must keep is in storage). The events in the reordering window are not in it: after {@link #restore},
   * {@link #refill} takes them again from the input (those at or after {@link PipelineState#refillFrom()}).
   */
  public synchronized Optional<PipelineState> snapshot(SnapshotSeal seal) {
    if (time == Long.MIN_VALUE || finished) {
      return Optional.empty();
    }
    List<StageState> stages = new ArrayList<>();
    for (SensorEventHandler handler : handlers) {
      if (!(handler instanceof SnapshotStage stage) || !stage.canSnapshot()) {
        if (handler.needsInputSince(time) < time) {
          return Optional.empty();
        }
        continue;
      }
      stages.add(StageState.newBuilder()
          .setStage(stage.snapshotName())
          .setVersion(stage.snapshotVersion())
          .setState(stage.exportState(seal))
          .build());
    }
    PipelineClock.Builder clock = PipelineClock.newBuilder()
        .setNewestSeen(newestSeen)
        .setProcessedUpTo(processedUpTo)
        .setTime(time);
    exportCounts(clock);
    return Optional.of(new PipelineState(clock.build(), stages, Math.max(processedUpTo, time)));
  }

  /**
   * A pipeline's state as {@link #snapshot} took it, and the event time from which input must be
   * {@linkplain #refill refilled}: no earlier event is in the reordering window or could still be taken.
   */
  public record PipelineState(PipelineClock clock, List<StageState> stages, long refillFrom) {
    public PipelineState {
      stages = List.copyOf(stages);
    }
  }

  /** Whether every stage is a {@link SnapshotStage} or needs no input from before now (see {@link #snapshot}). */
  public synchronized boolean snapshots() {
    return handlers.stream().allMatch(h -> (h instanceof SnapshotStage s && s.canSnapshot())
        || h.needsInputSince(time) >= time);
  }

  /**
   * Restores the state a {@link #snapshot} took, before any input. Then give it the events of the input the
   * snapshot's reordering window may have held, in input order, through {@link #refill}, and the input after the
   * snapshot as usual. The pipeline's counts go on from the snapshot's. All or nothing: if it throws, every stage is
   * as it was before the call (restored from the state it exported then), so the caller may replay all the input
   * instead.
   *
   * @throws IllegalStateException if the pipeline has seen input already
   * @throws IllegalArgumentException if the snapshot does not hold the state of exactly this pipeline's
   *     {@link SnapshotStage}s, or one cannot read its state (an unknown version, damaged bytes)
   */
  public synchronized void restore(PipelineClock clock, List<StageState> stages, SnapshotSeal seal) {
    if (time != Long.MIN_VALUE || newestSeen != Long.MIN_VALUE || accepted > 0) {
      throw new IllegalStateException("a snapshot can be restored only into a pipeline that has seen no input");
    }
    Map<String, StageState> byName = new HashMap<>();
    stages.forEach(s -> byName.put(s.getStage(), s));
    List<SnapshotStage> own = handlers.stream().filter(SnapshotStage.class::isInstance)
        .map(SnapshotStage.class::cast).filter(SnapshotStage::canSnapshot).toList();
    List<StageState> states = new ArrayList<>();
    for (SnapshotStage stage : own) {
      StageState state = byName.get(stage.snapshotName());
      if (state == null) {
        throw new IllegalArgumentException("the snapshot holds no state of stage " + stage.snapshotName());
      }
      states.add(state);
    }
    if (byName.size() != own.size()) {
      throw new IllegalArgumentException("the snapshot holds the state of stages " + byName.keySet()
          + ", which this pipeline does not all have");
    }
    for (EventCount count : clock.getCountsList()) {
      if (!count.getReason().isEmpty() && reasonOf(count) == null) {
        throw new IllegalArgumentException("the snapshot counts rejections for a reason this release does not"
            + " know: " + count.getReason());
      }
    }
    List<ByteString> fresh = new ArrayList<>();
    for (SnapshotStage stage : own) {
      fresh.add(stage.exportState(seal));
    }
    for (int i = 0; i < own.size(); i++) {
      try {
        own.get(i).restoreState(states.get(i).getVersion(), states.get(i).getState(), seal);
      } catch (RuntimeException e) {
        for (int j = 0; j <= i; j++) {
          own.get(j).restoreState(own.get(j).snapshotVersion(), fresh.get(j), seal);
        }
        throw e instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException("stage "
            + own.get(i).snapshotName() + " cannot read its state of version " + states.get(i).getVersion()
            + ": " + e, e);
      }
    }
    restoreCounts(clock);
    newestSeen = clock.getNewestSeen();
    processedUpTo = clock.getProcessedUpTo();
    time = clock.getTime();
    publishedHorizon = Math.max(processedUpTo, time);
  }

  /**
   * After {@link #restore}: takes again an event of the input that came before the snapshot, as it was taken then.
   * An event before the snapshot's horizon or seen already is ignored (it was processed, or rejected, or is a copy);
   * any other was accepted then and is put back into the reordering window, or remembered if it was processed, so
   * that a copy arriving later is recognised. Nothing is handed to the stages and nothing is counted.
   */
  public synchronized void refill(SensorEvent event) {
    long horizon = Math.max(processedUpTo, time);
    if (event.ts() < horizon || validator.check(event) != null) {
      return;
    }
    if (event instanceof FrameEvent frame) {
      event = validator.withDeclaredFeaturesOnly(frame);
    }
    if (!recent.add(event)) {
      return;
    }
    recentInOrder.add(event);
    if (event.ts() > newestSeen - window) {
      buffer.add(new Pending(event, event.ts(), sequence++));
      buffered.set(buffer.size());
    }
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
    countRejected(eventType, rejection.reason(), 1);
  }

  private void countAccepted(String eventType, long n) {
    accepted += n;
    acceptedByType.merge(eventType, n, Long::sum);
    acceptedCounters
        .computeIfAbsent(eventType, type -> Counter.builder("jwo.pipeline.events")
            .description("Sensor events offered to the pipeline")
            .tag("type", type)
            .tag("outcome", "accepted")
            .tag("reason", "none")
            .register(registry))
        .increment((double) n);
  }

  private void countRejected(String eventType, RejectionReason reason, long n) {
    rejected.merge(reason, n, Long::sum);
    rejectedByType.computeIfAbsent(eventType, type -> new EnumMap<>(RejectionReason.class))
        .merge(reason, n, Long::sum);
    rejectedCounters
        .computeIfAbsent(eventType, type -> new EnumMap<>(RejectionReason.class))
        .computeIfAbsent(reason, r -> registry.counter("jwo.pipeline.events",
            "type", eventType, "outcome", "rejected", "reason", r.name().toLowerCase(Locale.ROOT)))
        .increment((double) n);
  }

  private void countHandlerErrors(String handler, long n) {
    handlerErrors += n;
    errorsByHandler.merge(handler, n, Long::sum);
    registry.counter("jwo.pipeline.handler.errors", "handler", handler).increment((double) n);
  }

  private void handlerFailed(SensorEventHandler handler, String what, RuntimeException e) {
    countHandlerErrors(handler.getClass().getSimpleName(), 1);
    log.error("{} failed on {}; the pipeline goes on", handler.getClass().getSimpleName(), what, e);
  }

  /** The pipeline's counts, as a snapshot keeps them. */
  private void exportCounts(PipelineClock.Builder clock) {
    acceptedByType.forEach((type, n) -> clock.addCounts(EventCount.newBuilder().setType(type).setCount(n)));
    rejectedByType.forEach((type, reasons) -> reasons.forEach((reason, n) -> clock.addCounts(
        EventCount.newBuilder().setType(type).setReason(reason.name()).setCount(n))));
    clock.putAllHandlerErrors(errorsByHandler);
  }

  private static @Nullable RejectionReason reasonOf(EventCount count) {
    for (RejectionReason reason : RejectionReason.values()) {
      if (reason.name().equals(count.getReason())) {
        return reason;
      }
    }
    return null;
  }

  /** Goes on counting from a snapshot's counts (their reasons checked by {@link #restore} first). */
  private void restoreCounts(PipelineClock clock) {
    for (EventCount count : clock.getCountsList()) {
      if (count.getReason().isEmpty()) {
        countAccepted(count.getType(), count.getCount());
      } else {
        countRejected(count.getType(), Objects.requireNonNull(reasonOf(count)), count.getCount());
      }
    }
    clock.getHandlerErrorsMap().forEach(this::countHandlerErrors);
  }

  /** A buffered event with its time kept at hand: the buffer compares it at every insertion and removal. */
  private record Pending(SensorEvent event, long ts, long sequence) {
    static int compare(Pending a, Pending b) {
      return a.ts != b.ts ? Long.compare(a.ts, b.ts) : Long.compare(a.sequence, b.sequence);
    }
  }
}
