package dev.jwo.core.pipeline;

import dev.jwo.core.event.SensorEvent;

/**
 * A stage of the per-store pipeline. The pipeline calls it from one thread at a time, with events in
 * non-decreasing event time. Implementations must be deterministic: the same calls give the same effects.
 * They should not throw; an exception is counted and logged, and the pipeline goes on with the next handler.
 */
public interface SensorEventHandler {

  /** Where in each event's processing this handler runs. */
  PipelineStage stage();

  /** Handles one accepted event. */
  void onEvent(SensorEvent event);

  /** Event time has reached {@code ts}: no event earlier than {@code ts} will follow. */
  default void onTimeAdvanced(long ts) {}

  /** The input has ended (a replay is complete) at event time {@code ts}; finish whatever is pending. */
  default void onEndOfStream(long ts) {}

  /**
   * The earliest event time whose input this handler must see again, after a restart, to rebuild what it holds
   * at event time {@code ts}. The store replays its journaled input from the earliest answer of all handlers
   * (so restarts take as long as the oldest thing still needed, not the store's age) and may discard older input
   * under its retention. A handler that keeps what must outlive a restart in storage answers {@code ts}; one that
   * holds a visit's state from its entry on answers the entry time of the oldest visit it still holds. The
   * default, {@link Long#MIN_VALUE}, needs all input: override it so that the store can bound its restarts.
   */
  default long needsInputSince(long ts) {
    return Long.MIN_VALUE;
  }
}
