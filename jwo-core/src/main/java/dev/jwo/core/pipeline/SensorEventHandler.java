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
}
