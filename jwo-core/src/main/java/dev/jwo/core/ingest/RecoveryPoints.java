package dev.jwo.core.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.v1.IngestCheckpoint;
import dev.jwo.core.v1.InputMinute;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a restart of the {@link IngestLog} replays from, and what input may be discarded. As event time moves on
 * (every {@link IngestSettings#checkpointEvery()}), it asks the pipeline since when its stages need their input
 * ({@link StorePipeline#inputNeededSince()}), finds the first journal record that may hold such input (from an index
 * of the first record of each minute of event time), and records an {@link IngestCheckpoint} in table
 * {@value #TABLE}. Input before both that record and the {@linkplain IngestSettings#inputRetention() retention} is
 * discarded from the journal, in the background. Thread-safe: the log's writer thread notes records, its pipeline
 * thread writes checkpoints.
 */
final class RecoveryPoints {
  /** The table holding the latest checkpoint under key {@value #KEY}. */
  static final String TABLE = "ingest_checkpoints";
  static final String KEY = "latest";

  private static final Logger log = LoggerFactory.getLogger(IngestLog.class);
  private static final long MINUTE = 60_000;

  private final EventJournal journal;
  private final KeyedTable table;
  private final long every;
  private final long retention;
  /** Minute of event time -> the first record whose newest event lies in that minute. */
  private final TreeMap<Long, Long> minutes = new TreeMap<>();
  private final Executor discarder;
  private long lastCheckpointTs = Long.MIN_VALUE;
  private volatile long discardedBefore;
  private volatile boolean warnedCannotDiscard;
  private boolean warnedAllNeeded;

  /** @param discarder runs the (possibly long) deletion of discarded input off the writer thread */
  RecoveryPoints(StoreStorage storage, IngestSettings settings, Executor discarder) {
    this.discarder = discarder;
    this.journal = storage.journal();
    this.table = storage.table(TABLE);
    this.every = settings.checkpointEvery().toMillis();
    this.retention = settings.inputRetention().toMillis();
  }

  /** The latest checkpoint, if one was written; its index of minutes is taken over. */
  synchronized Optional<IngestCheckpoint> load() {
    Optional<VersionedValue> row = table.get(KEY);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    IngestCheckpoint checkpoint;
    try {
      checkpoint = IngestCheckpoint.parseFrom(row.get().value());
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("the ingest checkpoint in table '" + TABLE + "' cannot be read: " + e.getMessage()
          + "; the storage is damaged", false, e);
    }
    for (InputMinute minute : checkpoint.getMinutesList()) {
      minutes.merge(minute.getMinute(), minute.getFirstPosition(), Math::min);
    }
    lastCheckpointTs = checkpoint.getEventTs();
    discardedBefore = Math.min(checkpoint.getReplayFrom(), firstPositionFrom(checkpoint.getEventTs() - retention,
        checkpoint.getReplayFrom()));
    return Optional.of(checkpoint);
  }

  /** Notes a committed (or replayed) record at {@code position} whose newest event is at {@code newestTs}. */
  synchronized void recorded(long position, long newestTs) {
    minutes.merge(Math.floorDiv(newestTs, MINUTE), position, Math::min);
  }

  /**
   * Writes a checkpoint if event time has moved on far enough since the last one and the pipeline can say what it
   * needs, and discards what is neither needed nor retained.
   *
   * @param end the journal position the next record will get
   */
  synchronized void maybeCheckpoint(StorePipeline pipeline, Map<String, SequenceWindow> sources, long end) {
    long now = pipeline.eventTime();
    if (now == Long.MIN_VALUE || (lastCheckpointTs != Long.MIN_VALUE && now - lastCheckpointTs < every)) {
      return;
    }
    lastCheckpointTs = now;
    long needed = pipeline.inputNeededSince();
    if (needed == Long.MIN_VALUE) {
      if (!warnedAllNeeded) {
        warnedAllNeeded = true;
        log.warn("a pipeline stage needs all input to rebuild its state, so restarts replay the whole journal and "
            + "no input is discarded; implement SensorEventHandler.needsInputSince to bound them");
      }
      return;
    }
    // A minute's margin: events of one record may be a little older than its newest.
    long replayFrom = firstPositionFrom(needed - MINUTE, end);
    long keepFrom = Math.min(replayFrom, firstPositionFrom(now - retention, end));
    IngestCheckpoint.Builder checkpoint = IngestCheckpoint.newBuilder()
        .setReplayFrom(replayFrom)
        .setNeededSinceTs(needed)
        .setEventTs(now);
    sources.forEach((source, window) -> checkpoint
        .putSources(source, window.highest())
        .putReceived(source, window.toProto()));
    long oldestMinute = Math.floorDiv(Math.min(needed - MINUTE, now - retention), MINUTE);
    minutes.headMap(oldestMinute).clear();
    minutes.forEach((minute, position) -> checkpoint.addMinutes(
        InputMinute.newBuilder().setMinute(minute).setFirstPosition(position)));
    try {
      table.put(KEY, checkpoint.build().toByteArray(), KeyedTable.ANY_VERSION);
    } catch (StorageException e) {
      log.warn("cannot record the ingest checkpoint (a restart replays from the previous one): {}", e.getMessage());
      return;
    }
    if (keepFrom > discardedBefore) {
      long before = keepFrom;
      discardedBefore = before;
      discarder.execute(() -> {
        try {
          journal.truncate(IngestLog.STREAM, before);
        } catch (UnsupportedOperationException e) {
          if (!warnedCannotDiscard) {
            warnedCannotDiscard = true;
            log.warn("the storage cannot discard journal records ({}); input is kept beyond its retention",
                e.getMessage());
          }
        } catch (RuntimeException e) {
          log.warn("cannot discard input before journal position {} (tried again at the next checkpoint): {}",
              before, e.toString());
          discardedBefore = Math.min(discardedBefore, before - 1);
        }
      });
    }
  }

  /** The first position of a record whose newest event is at or after {@code ts}; {@code end} if none. */
  private long firstPositionFrom(long ts, long end) {
    long first = end;
    for (long position : minutes.tailMap(Math.floorDiv(ts, MINUTE), true).values()) {
      first = Math.min(first, position);
    }
    return first;
  }

  /** A background executor for discarding input; the caller shuts it down. */
  static ExecutorService newDiscarder() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "jwo-input-retention");
      t.setDaemon(true);
      return t;
    });
  }
}
