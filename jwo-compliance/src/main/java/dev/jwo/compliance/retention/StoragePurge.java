package dev.jwo.compliance.retention;

import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the bytes of destroyed records from the storage's own files ({@link StoreStorage#purgeDeleted}), so that a
 * shredded key or an erased credential does not rest in a database's free space after its row was deleted. A
 * destruction marks a purge pending ({@link #destroyed}); the pending purge runs at the next {@link #purgeIfDue}
 * once {@link #AT_MOST_EVERY} has passed since the last one on the injected clock (a purge locks the keyed tables
 * while it runs, so many destructions share one); a person's deletion request purges at once ({@link #purgeNow}).
 * Over durable storage a purge is pending when the store starts, for what was destroyed before it stopped.
 * Thread-safe.
 */
@Singleton
public final class StoragePurge {
  private static final Logger log = LoggerFactory.getLogger(StoragePurge.class);

  /** The least time between two purges that destructions (not deletion requests) ask for. */
  public static final Duration AT_MOST_EVERY = Duration.ofHours(1);

  private final StoreStorage storage;
  private final Clock clock;
  private boolean pending;
  private long lastMillis = Long.MIN_VALUE;

  @Inject
  public StoragePurge(StoreStorage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
    this.pending = storage.durable();
  }

  /** Something was destroyed: its rows' bytes are to be purged. */
  public synchronized void destroyed() {
    pending = true;
  }

  /** Whether a purge is pending. */
  public synchronized boolean pending() {
    return pending;
  }

  /**
   * Purges if a purge is pending and none ran within {@link #AT_MOST_EVERY}. A failure is logged and the purge stays
   * pending for the next interval.
   */
  public synchronized void purgeIfDue() {
    if (!pending || (lastMillis != Long.MIN_VALUE && clock.millis() - lastMillis < AT_MOST_EVERY.toMillis())) {
      return;
    }
    try {
      purgeNow();
    } catch (StorageException e) {
      log.warn("Deleted rows not yet removed from the storage's files ({}); tried again in {}", e.getMessage(),
          AT_MOST_EVERY);
    }
  }

  /**
   * Purges now, whatever was pending.
   *
   * @return what was done ({@link StoreStorage#purgeDeleted}), empty if the storage had nothing to do
   * @throws StorageException if the purge failed; it then stays pending
   */
  public synchronized String purgeNow() {
    lastMillis = clock.millis();
    pending = true;
    String done = storage.purgeDeleted();
    pending = false;
    return done;
  }
}
