package dev.jwo.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests move by hand. */
public final class TestClock extends Clock {
  private final AtomicLong millis;

  public TestClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  public void advance(long deltaMillis) {
    millis.addAndGet(deltaMillis);
  }

  public void set(long newMillis) {
    millis.set(newMillis);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
