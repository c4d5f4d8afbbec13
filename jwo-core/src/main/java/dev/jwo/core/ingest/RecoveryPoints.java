package dev.jwo.core.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.v1.IngestCheckpoint;
import dev.jwo.core.v1.InputMinute;
import dev.jwo.core.v1.PipelineSnapshot;
import dev.jwo.core.v1.SnapshotRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;
import org.jspecify.annotations.Nullable;
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
 *
 * <p>When every stage can be snapshotted, every {@link IngestSettings#snapshotEvery()} a checkpoint also carries a
 * {@link PipelineSnapshot} (deflated, in rows of table {@value #SNAPSHOTS}); a restart then restores it and replays
 * only from the first record that may hold an event its reordering window held. The checkpoint row is what makes a
 * snapshot the latest; the previous one is deleted once it is no longer referenced.
 */
final class RecoveryPoints {
  /** The table holding the latest checkpoint under key {@value #KEY}. */
  static final String TABLE = "ingest_checkpoints";
  static final String KEY = "latest";
  /** The table holding pipeline snapshots: rows {@code s<position>/<chunk>}. */
  static final String SNAPSHOTS = "pipeline_snapshots";
  /** The most a snapshot row holds (a row's value is at most a megabyte). */
  private static final int SNAPSHOT_CHUNK_BYTES = 900_000;

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
  private final KeyedTable snapshots;
  private final long snapshotEvery;
  private final SnapshotSeal seal;
  /** The snapshot the latest checkpoint refers to, and the position replay starts from with it. */
  private @Nullable SnapshotRef snapshot;
  private long snapshotReplayFrom;
  private long snapshotRefillFrom;
  private boolean warnedSnapshot;
  private boolean discardedSnapshot;
  /** The snapshot replaced by the latest one, deleted once the checkpoint no longer refers to it. */
  private @Nullable SnapshotRef pendingDeletion;

  /** @param discarder runs the (possibly long) deletion of discarded input off the writer thread */
  RecoveryPoints(StoreStorage storage, IngestSettings settings, Executor discarder, SnapshotSeal seal) {
    this.discarder = discarder;
    this.snapshots = storage.table(SNAPSHOTS);
    this.snapshotEvery = settings.snapshotEvery().toMillis();
    this.seal = seal;
    this.journal = storage.journal();
    this.table = storage.table(TABLE);
    this.every = settings.checkpointEvery().toMillis();
    this.retention = settings.inputRetention().toMillis();
  }

  /** The latest checkpoint, if one was written; its index of minutes is taken over. */
  synchronized Optional<IngestCheckpoint> load() {
    Optional<VersionedValue> row = table.get(KEY);
    if (row.isEmpty()) {
      deleteUnreferencedSnapshots(null);
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
    if (checkpoint.hasSnapshot()) {
      snapshot = checkpoint.getSnapshot();
      snapshotReplayFrom = checkpoint.getReplayFrom();
      snapshotRefillFrom = checkpoint.getNeededSinceTs();
    }
    discardedBefore = Math.min(checkpoint.getReplayFrom(), firstPositionFrom(checkpoint.getEventTs() - retention,
        checkpoint.getReplayFrom()));
    deleteUnreferencedSnapshots(snapshot);
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
    maybeSnapshot(pipeline, now, end);
    long needed = snapshot != null ? snapshotRefillFrom : pipeline.inputNeededSince();
    if (needed == Long.MIN_VALUE) {
      if (!warnedAllNeeded) {
        warnedAllNeeded = true;
        log.warn("a pipeline stage needs all input to rebuild its state, so restarts replay the whole journal and "
            + "no input is discarded; implement SensorEventHandler.needsInputSince to bound them");
      }
      return;
    }
    // A minute's margin: events of one record may be a little older than its newest.
    long replayFrom = snapshot != null ? snapshotReplayFrom : firstPositionFrom(needed - MINUTE, end);
    long keepFrom = Math.min(replayFrom, firstPositionFrom(now - retention, end));
    IngestCheckpoint.Builder checkpoint = IngestCheckpoint.newBuilder()
        .setReplayFrom(replayFrom)
        .setNeededSinceTs(needed)
        .setEventTs(now);
    if (snapshot != null) {
      checkpoint.setSnapshot(snapshot);
    }
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
    SnapshotRef replaced = pendingDeletion;
    pendingDeletion = null;
    if (replaced != null) {
      discarder.execute(() -> {
        try {
          for (int i = 0; i < replaced.getChunks(); i++) {
            snapshots.delete(chunkKey(replaced.getKey(), i));
          }
        } catch (RuntimeException e) {
          log.warn("cannot delete the replaced pipeline snapshot {} (deleted at the next start): {}",
              replaced.getKey(), e.toString());
        }
      });
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

  /**
   * Takes and writes a snapshot of the pipeline if one is due and every stage can be snapshotted; on success it is
   * the one the checkpoint about to be written refers to.
   */
  private void maybeSnapshot(StorePipeline pipeline, long now, long end) {
    if (snapshotEvery == 0 || (snapshot != null && now - snapshot.getEventTs() < snapshotEvery)) {
      return;
    }
    if (!pipeline.snapshots()) {
      if (!warnedSnapshot) {
        warnedSnapshot = true;
        log.info("not every pipeline stage can be snapshotted, so restarts replay what the stages need instead");
      }
      return;
    }
    long start = System.nanoTime();
    Optional<StorePipeline.PipelineState> state;
    try {
      state = pipeline.snapshot(seal);
    } catch (RuntimeException e) {
      log.warn("cannot snapshot the pipeline (a restart replays from the previous snapshot or checkpoint): {}",
          e.toString());
      return;
    }
    if (state.isEmpty()) {
      return;
    }
    // Every record that may hold an event at or after the snapshot's horizon: the reordering window is refilled
    // from there.
    long refillFrom = state.get().refillFrom();
    long catchUpFrom = firstPositionFrom(refillFrom, end);
    PipelineSnapshot written = PipelineSnapshot.newBuilder()
        .setFormat(1)
        .setPosition(end)
        .setCatchUpFrom(catchUpFrom)
        .setClock(state.get().clock())
        .addAllStages(state.get().stages())
        .build();
    byte[] packed = deflate(written.toByteArray());
    String key = String.format(Locale.ROOT, "s%019d", end);
    int chunks = Math.max(1, (packed.length + SNAPSHOT_CHUNK_BYTES - 1) / SNAPSHOT_CHUNK_BYTES);
    try {
      for (int i = 0; i < chunks; i++) {
        int from = i * SNAPSHOT_CHUNK_BYTES;
        snapshots.put(chunkKey(key, i), Arrays.copyOfRange(packed, from, Math.min(packed.length,
            from + SNAPSHOT_CHUNK_BYTES)), KeyedTable.ANY_VERSION);
      }
    } catch (StorageException e) {
      log.warn("cannot write a pipeline snapshot (a restart replays from the previous one): {}", e.getMessage());
      return;
    }
    SnapshotRef previous = snapshot;
    snapshot = SnapshotRef.newBuilder().setKey(key).setChunks(chunks).setPosition(end).setEventTs(now)
        .setBytes(packed.length).build();
    snapshotReplayFrom = catchUpFrom;
    snapshotRefillFrom = refillFrom;
    log.debug("pipeline snapshot at journal position {}: {} bytes in {} ms", end, packed.length,
        (System.nanoTime() - start) / 1_000_000);
    if (previous != null && !previous.getKey().equals(key)) {
      // Deleted only after the checkpoint referring to the new one is written: queued behind it on one thread.
      pendingDeletion = previous;
    }
  }

  /**
   * The pipeline snapshot the latest checkpoint refers to, if any.
   *
   * @throws StorageException if it is missing or cannot be read (the storage is damaged)
   */
  synchronized Optional<PipelineSnapshot> loadSnapshot() {
    SnapshotRef ref = snapshot;
    if (ref == null) {
      return Optional.empty();
    }
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    for (int i = 0; i < ref.getChunks(); i++) {
      Optional<VersionedValue> row = snapshots.get(chunkKey(ref.getKey(), i));
      if (row.isEmpty()) {
        throw new StorageException("pipeline snapshot " + ref.getKey() + " lacks its row " + i + " in table '"
            + SNAPSHOTS + "'; the storage is damaged", false);
      }
      packed.writeBytes(row.get().value());
    }
    try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(packed.toByteArray()))) {
      PipelineSnapshot loaded = PipelineSnapshot.parseFrom(in);
      if (loaded.getFormat() != 1 || loaded.getPosition() != ref.getPosition()) {
        throw new StorageException("pipeline snapshot " + ref.getKey() + " is of format " + loaded.getFormat()
            + " at position " + loaded.getPosition() + ", which this release cannot use", false);
      }
      return Optional.of(loaded);
    } catch (IOException e) {
      throw new StorageException("pipeline snapshot " + ref.getKey() + " cannot be read: " + e.getMessage()
          + "; the storage is damaged", false, e);
    }
  }

  /**
   * Sets aside the snapshot the latest checkpoint refers to, as one that cannot be used: a restart replays the input
   * from its first record, the next checkpoint no longer refers to it, and its rows are deleted after that one.
   */
  synchronized void discardSnapshot() {
    if (snapshot != null) {
      pendingDeletion = snapshot;
      snapshot = null;
      discardedSnapshot = true;
    }
  }

  /** Whether {@link #discardSnapshot} set one aside: recovery then replays the input from its first record. */
  synchronized boolean snapshotDiscarded() {
    return discardedSnapshot;
  }

  /** Deletes snapshot rows no checkpoint refers to (an older snapshot, or one written before a crash). */
  private void deleteUnreferencedSnapshots(@Nullable SnapshotRef kept) {
    for (KeyedValue row : snapshots.scan("s")) {
      if (kept == null || !row.key().startsWith(kept.getKey() + "/")) {
        snapshots.delete(row.key());
      }
    }
  }

  private static String chunkKey(String key, int chunk) {
    return String.format(Locale.ROOT, "%s/%04d", key, chunk);
  }

  private static byte[] deflate(byte[] plain) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(plain);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 3));
      byte[] buffer = new byte[65_536];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
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
