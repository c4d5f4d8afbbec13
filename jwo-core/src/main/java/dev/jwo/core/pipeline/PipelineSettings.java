package dev.jwo.core.pipeline;

/**
 * Settings of the per-store pipeline.
 *
 * @param reorderWindowMillis how late (in event time, behind the latest event seen) an event may arrive and
 *     still be put in order; events are processed this much behind the newest one
 */
public record PipelineSettings(long reorderWindowMillis) {
  public static final PipelineSettings DEFAULTS = new PipelineSettings(1_000);

  public PipelineSettings {
    if (reorderWindowMillis < 0) {
      throw new IllegalArgumentException("reorder window must not be negative");
    }
  }
}
