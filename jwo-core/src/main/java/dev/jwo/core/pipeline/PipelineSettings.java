package dev.jwo.core.pipeline;

import java.util.Objects;

/**
 * Settings of the per-store pipeline.
 *
 * @param reorderWindowMillis how late (in event time, behind the latest event seen) an event may arrive and
 *     still be put in order; events are processed this much behind the newest one
 * @param limits bounds on the values an event may carry
 */
public record PipelineSettings(long reorderWindowMillis, InputLimits limits) {
  public static final PipelineSettings DEFAULTS = new PipelineSettings(1_000);

  public PipelineSettings {
    if (reorderWindowMillis < 0) {
      throw new IllegalArgumentException("reorder window must not be negative");
    }
    Objects.requireNonNull(limits, "limits");
  }

  /** Settings with the {@linkplain InputLimits#DEFAULTS default limits}. */
  public PipelineSettings(long reorderWindowMillis) {
    this(reorderWindowMillis, InputLimits.DEFAULTS);
  }

  /** The same settings with other limits. */
  public PipelineSettings withLimits(InputLimits newLimits) {
    return new PipelineSettings(reorderWindowMillis, newLimits);
  }
}
