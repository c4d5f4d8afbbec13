package dev.jwo.core.ingest;

import dev.jwo.core.pipeline.Rejection;
import dev.jwo.core.pipeline.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every message the ingest log answers, per source, outcome and reason ({@code jwo.ingest.messages}), and
 * logs rejections at most once per reason per interval with how many were not logged, so that a flood of bad input
 * neither floods the log nor goes unseen. Used only by the log's pipeline thread.
 */
final class IngestCounters {
  private static final Logger log = LoggerFactory.getLogger(IngestLog.class);
  /** Sources beyond this many are counted under the tag {@code other}, so a flood of names cannot grow the meters. */
  private static final int MAX_TAGGED_SOURCES = 100;

  /** What became of a message. */
  enum Outcome {
    ACCEPTED,
    REJECTED,
    ALREADY_RECEIVED,
    REFUSED
  }

  private final MeterRegistry registry;
  private final Clock clock;
  private final long logIntervalMillis;
  private final Map<String, Counter> counters = new HashMap<>();
  /** Per source, the counters of outcomes without a reason, one per {@link Outcome}: the common case, looked up once. */
  private final Map<String, Map<Outcome, Counter>> plainCounters = new HashMap<>();
  /** Per source, the counters of its rejections by reason. */
  private final Map<String, Map<RejectionReason, Counter>> rejectionCounters = new HashMap<>();
  private final Set<String> taggedSources = new HashSet<>();
  private final Map<RejectionReason, long[]> lastLogged = new EnumMap<>(RejectionReason.class);

  IngestCounters(MeterRegistry registry, Clock clock, Duration logInterval) {
    this.registry = registry;
    this.clock = clock;
    this.logIntervalMillis = logInterval.toMillis();
  }

  void count(String source, Outcome outcome) {
    Map<Outcome, Counter> bySource = plainCounters.get(source);
    if (bySource == null) {
      bySource = new EnumMap<>(Outcome.class);
      if (plainCounters.size() < MAX_TAGGED_SOURCES * 2) {
        plainCounters.put(source, bySource);
      }
    }
    Counter counter = bySource.get(outcome);
    if (counter == null) {
      counter = counter(source, outcome, "none");
      bySource.put(outcome, counter);
    }
    counter.increment();
  }

  /** Counts a rejection and logs it unless one of its reason was logged within the interval. */
  void rejected(String source, Rejection rejection) {
    Map<RejectionReason, Counter> bySource = rejectionCounters.get(source);
    if (bySource == null) {
      bySource = new EnumMap<>(RejectionReason.class);
      if (rejectionCounters.size() < MAX_TAGGED_SOURCES * 2) {
        rejectionCounters.put(source, bySource);
      }
    }
    Counter counter = bySource.get(rejection.reason());
    if (counter == null) {
      counter = counter(source, Outcome.REJECTED, reasonTag(rejection));
      bySource.put(rejection.reason(), counter);
    }
    counter.increment();
    long now = clock.millis();
    long[] state = lastLogged.computeIfAbsent(rejection.reason(), r -> new long[] {Long.MIN_VALUE, 0});
    if (state[0] != Long.MIN_VALUE && now - state[0] < logIntervalMillis) {
      state[1]++;
      return;
    }
    long suppressed = state[1];
    state[0] = now;
    state[1] = 0;
    log.warn("rejected sensor input from source '{}' ({}): {}{}", printable(source), reasonTag(rejection),
        rejection.message(),
        suppressed == 0 ? "" : " (" + suppressed + " more rejections of this kind since the last one logged)");
  }

  private static String reasonTag(Rejection rejection) {
    return rejection.reason().name().toLowerCase(Locale.ROOT);
  }

  private Counter counter(String source, Outcome outcome, String reason) {
    String tag = sourceTag(source);
    String key = tag + '\0' + outcome + '\0' + reason;
    return counters.computeIfAbsent(key, k -> Counter.builder("jwo.ingest.messages")
        .description("Sensor messages answered by the ingest log, by source, outcome and reason")
        .tag("source", tag)
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .tag("reason", reason)
        .register(registry));
  }

  private String sourceTag(String source) {
    if (source.isEmpty() || !printable(source).equals(source)) {
      return "invalid";
    }
    if (taggedSources.contains(source)) {
      return source;
    }
    if (taggedSources.size() < MAX_TAGGED_SOURCES) {
      taggedSources.add(source);
      return source;
    }
    return "other";
  }

  /** The source name as it may be logged: at most 64 printable characters. */
  private static String printable(String source) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < source.length() && out.length() < 64; i++) {
      char c = source.charAt(i);
      out.append(c > ' ' && c <= '~' ? c : '?');
    }
    return out.toString();
  }
}
