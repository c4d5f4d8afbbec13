package dev.jwo.payments;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry times for test parties: a visit is named by its gate and entry time (one gate admits one party per
 * instant), so each card enters at a time of its own, the first at {@code base}, the same card always at the same.
 */
public final class EntryTimes {
  private final long base;
  private final Map<String, Long> times = new ConcurrentHashMap<>();

  public EntryTimes(long base) {
    this.base = base;
  }

  /** When {@code card} enters: {@code base} plus one millisecond per card that entered before it. */
  public synchronized long of(String card) {
    Long known = times.get(card);
    if (known != null) {
      return known;
    }
    long ts = base + times.size();
    times.put(card, ts);
    return ts;
  }
}
