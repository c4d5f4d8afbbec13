package dev.jwo.payments.settlement;

import dev.jwo.payments.PaymentScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler and clock that move only when a test says so: no test waits for a backoff. */
final class ManualScheduler implements PaymentScheduler {
  private record Task(long dueMs, long order, Runnable run) {}

  private final List<Task> tasks = new ArrayList<>();
  private final List<Duration> delays = new ArrayList<>();
  private long nowMs = 1_764_410_400_000L;
  private long order;

  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      synchronized (ManualScheduler.this) {
        return Instant.ofEpochMilli(nowMs);
      }
    }
  };

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    delays.add(delay);
    tasks.add(new Task(nowMs + delay.toMillis(), order++, task));
  }

  synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  synchronized boolean hasPending() {
    return !tasks.isEmpty();
  }

  /** Moves the clock on by {@code by} and runs every task due by then, in due order. */
  void advance(Duration by) {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      nowMs += by.toMillis();
      for (Task t : tasks) {
        if (t.dueMs <= nowMs) {
          due.add(t);
        }
      }
      tasks.removeAll(due);
    }
    due.sort(Comparator.comparingLong(Task::dueMs).thenComparingLong(Task::order));
    due.forEach(t -> t.run.run());
  }

  /** Moves the clock to the next task's due time and runs what is due; false when nothing is scheduled. */
  boolean runNext() {
    long next;
    synchronized (this) {
      if (tasks.isEmpty()) {
        return false;
      }
      next = tasks.stream().mapToLong(Task::dueMs).min().orElseThrow();
    }
    advance(Duration.ofMillis(Math.max(0, next - clock.millis())));
    return true;
  }
}
