package dev.jwo.compliance.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.storage.ForwardingStoreStorage;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StoragePurgeTest {
  private final MovableClock clock = new MovableClock();
  private final CountingStorage storage = new CountingStorage();
  private final StoragePurge purge = new StoragePurge(storage, clock);

  @Test
  void aDurableStorePurgesAtItsFirstChanceForWhatWasDestroyedBeforeItStopped() {
    assertThat(purge.pending()).isTrue();
    purge.purgeIfDue();
    assertThat(storage.purges).isEqualTo(1);
    assertThat(purge.pending()).isFalse();
    purge.purgeIfDue();
    assertThat(storage.purges).as("nothing destroyed since").isEqualTo(1);
  }

  @Test
  void destructionsWithinTheIntervalShareOnePurgeAtItsEnd() {
    purge.purgeIfDue();
    purge.destroyed();
    clock.advance(StoragePurge.AT_MOST_EVERY.minusMillis(1));
    purge.destroyed();
    purge.purgeIfDue();
    assertThat(storage.purges).as("a millisecond early").isEqualTo(1);
    assertThat(purge.pending()).isTrue();
    clock.advance(Duration.ofMillis(1));
    purge.purgeIfDue();
    assertThat(storage.purges).isEqualTo(2);
    assertThat(purge.pending()).isFalse();
  }

  @Test
  void aDeletionRequestPurgesAtOnceWhateverTheInterval() {
    purge.purgeIfDue();
    assertThat(purge.purgeNow()).isEqualTo("purged 2");
    assertThat(storage.purges).isEqualTo(2);
  }

  @Test
  void aFailedPurgeStaysPendingAndIsTriedAgainAfterTheInterval() {
    storage.failing = true;
    purge.purgeIfDue();
    assertThat(purge.pending()).isTrue();
    storage.failing = false;
    purge.purgeIfDue();
    assertThat(storage.purges).as("not again at once").isEqualTo(1);
    clock.advance(StoragePurge.AT_MOST_EVERY);
    purge.purgeIfDue();
    assertThat(storage.purges).isEqualTo(2);
    assertThat(purge.pending()).isFalse();
  }

  @Test
  void storageThatOutlivesNothingHasNothingPendingAtStart() {
    assertThat(new StoragePurge(new InMemoryStoreStorage(), clock).pending()).isFalse();
  }

  private static final class CountingStorage extends ForwardingStoreStorage {
    int purges;
    boolean failing;

    CountingStorage() {
      super(new InMemoryStoreStorage());
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public String purgeDeleted() {
      purges++;
      if (failing) {
        throw new StorageException("lock timeout", true);
      }
      return "purged " + purges;
    }
  }

  private static final class MovableClock extends Clock {
    private Instant now = Instant.ofEpochMilli(1_764_410_400_000L);

    void advance(Duration by) {
      now = now.plus(by);
    }

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
      return now;
    }
  }
}
