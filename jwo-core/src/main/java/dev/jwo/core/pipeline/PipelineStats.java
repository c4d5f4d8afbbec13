package dev.jwo.core.pipeline;

import java.util.Map;

/** Counts of what the pipeline took in and rejected, by reason. */
public record PipelineStats(long accepted, Map<RejectionReason, Long> rejected, long handlerErrors) {
  public PipelineStats {
    rejected = Map.copyOf(rejected);
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
