package dev.jwo.server.cli;

/**
 * Latencies in buckets of {@value #BUCKET_MICROS} µs up to ten seconds (longer ones share the last bucket), for
 * percentiles without keeping every sample. Not thread-safe: one per recording thread, {@link #add}ed together.
 */
final class LatencyHistogram {
  static final int BUCKET_MICROS = 50;
  private static final int BUCKETS = 10_000_000 / BUCKET_MICROS;

  private final long[] counts = new long[BUCKETS + 1];
  private long total;
  private long maxNanos;

  /** Records {@code count} samples of {@code nanos}. */
  void record(long nanos, long count) {
    int bucket = (int) Math.min(BUCKETS, Math.max(0, nanos / 1_000 / BUCKET_MICROS));
    counts[bucket] += count;
    total += count;
    maxNanos = Math.max(maxNanos, nanos);
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    maxNanos = Math.max(maxNanos, other.maxNanos);
  }

  long count() {
    return total;
  }

  /** The latency under which {@code quantile} of the samples fall (the bucket's upper edge), in milliseconds. */
  double percentileMillis(double quantile) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min((i + 1) * BUCKET_MICROS / 1_000.0, maxMillis());
      }
    }
    return maxMillis();
  }

  double maxMillis() {
    return maxNanos / 1e6;
  }
}
