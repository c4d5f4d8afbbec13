package dev.jwo.storage.internal;

import dev.jwo.core.storage.CommitOutcomeUnknownException;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StorageNames;
import dev.jwo.core.storage.StreamAppend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal over JDBC, with group commit: callers queue their appends, and one writer thread commits all that
 * are waiting in one transaction, then completes each caller's future. A caller's appends are checked against
 * the stream ends as they will be after the calls queued before it, so one call's conflict fails that call only.
 *
 * <p>The writer keeps the committed end of recently used streams in memory; the row of each stream in
 * {@code journal_streams} is updated only from the end the writer expects, so another process appending to the
 * same database is detected (the batch is then retried one call at a time against fresh ends).
 */
final class GroupCommitJournal implements EventJournal {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitJournal.class);

  /** Most calls committed in one transaction. */
  static final int MAX_BATCH_CALLS = 1_000;
  /** Calls that may wait for the writer before appenders block. */
  private static final int QUEUE_CAPACITY = 50_000;
  private static final int CACHED_STREAMS = 100_000;
  private static final int CONCURRENT_WRITER_RETRIES = 3;

  private static final String INSERT_RECORD =
      "INSERT INTO journal (stream, pos, record_type, payload) VALUES (?, ?, ?, ?)";
  private static final String INSERT_STREAM = "INSERT INTO journal_streams (stream, next_position) VALUES (?, ?)";
  private static final String UPDATE_STREAM =
      "UPDATE journal_streams SET next_position = ? WHERE stream = ? AND next_position = ?";
  private static final long TRUNCATE_SLICE = 10_000;
  private static final String SELECT_END = "SELECT next_position FROM journal_streams WHERE stream = ?";

  private final JdbcStoreStorage storage;
  private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Thread writer;
  private boolean stopping;

  /** Committed stream ends, least recently used first; only the writer thread touches it. */
  private final Map<String, Long> ends = new LinkedHashMap<>(1024, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > CACHED_STREAMS;
    }
  };

  private final DistributionSummary batchCalls;
  private final Timer commitTime;
  private final Counter conflicts;

  GroupCommitJournal(JdbcStoreStorage storage, MeterRegistry meters) {
    this.storage = storage;
    String tag = storage.dialect().tag();
    this.batchCalls = DistributionSummary.builder("jwo.storage.append.batch")
        .description("append calls committed together in one transaction")
        .tag("storage", tag)
        .register(meters);
    this.commitTime = Timer.builder("jwo.storage.append.commit")
        .description("time to commit one batch of appends")
        .tag("storage", tag)
        .register(meters);
    this.conflicts = Counter.builder("jwo.storage.append.conflicts")
        .description("appends refused because a stream did not end at the expected position")
        .tag("storage", tag)
        .register(meters);
    this.writer = new Thread(this::writeLoop, "jwo-storage-group-commit");
    writer.setDaemon(true);
    writer.start();
  }

  private static final class Call {
    final List<StreamAppend> appends;
    final CompletableFuture<List<Long>> result = new CompletableFuture<>();

    Call(List<StreamAppend> appends) {
      this.appends = appends;
    }
  }

  private static final Call STOP = new Call(List.of());

  @Override
  public List<Long> appendAll(List<StreamAppend> appends) {
    CompletableFuture<List<Long>> result = appendAllAsync(appends);
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommitOutcomeUnknownException(storage.describe() + ": interrupted while waiting for an append to"
          + " commit; it may or may not be committed", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new StorageException(storage.describe() + ": append failed: " + cause, false, cause);
    }
  }

  @Override
  public CompletableFuture<List<Long>> appendAllAsync(List<StreamAppend> appends) {
    if (appends.isEmpty()) {
      throw new IllegalArgumentException("appendAll needs at least one append");
    }
    Call call = new Call(List.copyOf(appends));
    lifecycle.readLock().lock();
    try {
      if (stopping || storage.isClosed()) {
        return CompletableFuture.failedFuture(storage.closedException());
      }
      queue.put(call);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new StorageException(storage.describe()
          + ": interrupted before the append was queued; nothing was appended", true, e));
    } finally {
      lifecycle.readLock().unlock();
    }
    return call.result;
  }

  /** Commits what is queued, then stops the writer. */
  void shutDown() {
    lifecycle.writeLock().lock();
    try {
      if (stopping) {
        return;
      }
      stopping = true;
      queue.put(STOP);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.interrupt();
    } finally {
      lifecycle.writeLock().unlock();
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.warn("The storage writer did not finish within 60 s; closing anyway");
      writer.interrupt();
    }
  }

  private void writeLoop() {
    List<Call> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH_CALLS - 1);
      int stopAt = batch.indexOf(STOP);
      if (stopAt >= 0) {
        stop = true;
        batch.subList(stopAt, batch.size()).clear();
      }
      if (!batch.isEmpty()) {
        try {
          commit(batch, 0);
        } catch (RuntimeException e) {
          log.error("Unexpected failure of the storage writer", e);
          failAll(batch, new StorageException(storage.describe() + ": append failed: " + e, false, e));
        }
      }
      batch.clear();
    }
    List<Call> left = new ArrayList<>();
    queue.drainTo(left);
    failAll(left, storage.closedException());
  }

  private static void failAll(List<Call> calls, StorageException e) {
    for (Call call : calls) {
      if (call != STOP) {
        call.result.completeExceptionally(e);
      }
    }
  }

  /** Another writer appended to a stream this batch appends to. */
  private static final class ConcurrentWriterException extends Exception {
    private static final long serialVersionUID = 1L;

    ConcurrentWriterException(String stream) {
      super("stream '" + stream + "' was appended to by another writer", null, false, false);
    }
  }

  private void commit(List<Call> batch, int attempt) {
    Timer.Sample started = Timer.start();
    Map<String, Long> tentative = new HashMap<>();
    Map<String, Long> before = new HashMap<>();
    List<Call> accepted = new ArrayList<>();
    List<List<Long>> positions = new ArrayList<>();
    List<Call> refused = new ArrayList<>();
    List<JournalConflictException> refusals = new ArrayList<>();
    Connection c;
    try {
      c = storage.connection();
    } catch (StorageException e) {
      failAll(batch, e);
      return;
    }
    boolean committed = false;
    try (c) {
      c.setAutoCommit(false);
      for (Call call : batch) {
        Map<String, Long> local = new HashMap<>();
        List<Long> firsts = new ArrayList<>(call.appends.size());
        JournalConflictException conflict = null;
        for (StreamAppend append : call.appends) {
          String stream = append.stream();
          Long known = local.containsKey(stream) ? local.get(stream) : tentative.get(stream);
          long end = known != null ? known : committedEnd(c, stream, before);
          if (append.expectedPosition() != ANY_POSITION && append.expectedPosition() != end) {
            conflict = new JournalConflictException(stream, append.expectedPosition(), end);
            break;
          }
          firsts.add(end);
          local.put(stream, end + append.records().size());
        }
        if (conflict != null) {
          refused.add(call);
          refusals.add(conflict);
        } else {
          tentative.putAll(local);
          accepted.add(call);
          positions.add(firsts);
        }
      }
      if (accepted.isEmpty()) {
        c.rollback();
      } else {
        write(c, accepted, positions, tentative, before);
        try {
          c.commit();
        } catch (SQLException e) {
          ends.keySet().removeAll(tentative.keySet());
          failAll(accepted, new CommitOutcomeUnknownException(storage.describe()
              + ": the commit of an append did not complete (" + SqlFailures.describe(e)
              + "); it may or may not be committed", e));
          completeRefused(refused, refusals);
          return;
        }
        committed = true;
        ends.putAll(tentative);
      }
    } catch (SQLException | ConcurrentWriterException e) {
      if (!committed) {
        retryOrFail(batch, attempt, e, tentative, before);
        return;
      }
      log.warn("Releasing a connection after a commit failed: {}", e.toString());
    }
    started.stop(commitTime);
    batchCalls.record(accepted.size());
    for (int i = 0; i < accepted.size(); i++) {
      accepted.get(i).result.complete(List.copyOf(positions.get(i)));
    }
    completeRefused(refused, refusals);
  }

  /** A batch failed before it committed, so nothing of it was applied: retry it if another writer was in the way. */
  private void retryOrFail(List<Call> batch, int attempt, Exception e, Map<String, Long> tentative,
      Map<String, Long> before) {
    ends.keySet().removeAll(tentative.keySet());
    ends.keySet().removeAll(before.keySet());
    boolean concurrent = e instanceof ConcurrentWriterException
        || (e instanceof SQLException sql && SqlFailures.isUniqueViolation(sql));
    if (concurrent && batch.size() > 1) {
      log.warn("Another writer appends to {}; committing this batch call by call", storage.describe());
      for (Call call : batch) {
        commit(List.of(call), 0);
      }
    } else if (concurrent && attempt < CONCURRENT_WRITER_RETRIES) {
      commit(batch, attempt + 1);
    } else if (concurrent) {
      failAll(batch, new StorageException(storage.describe() + ": another writer keeps appending to the same"
          + " streams; nothing was appended", true, e));
    } else {
      failAll(batch, storage.failure("appending", (SQLException) e));
    }
  }

  private void completeRefused(List<Call> refused, List<JournalConflictException> refusals) {
    for (int i = 0; i < refused.size(); i++) {
      conflicts.increment();
      refused.get(i).result.completeExceptionally(refusals.get(i));
    }
  }

  private long committedEnd(Connection c, String stream, Map<String, Long> before) throws SQLException {
    Long cached = ends.get(stream);
    long end;
    if (cached != null) {
      end = cached;
    } else {
      try (PreparedStatement select = c.prepareStatement(SELECT_END)) {
        select.setString(1, stream);
        try (ResultSet rs = select.executeQuery()) {
          end = rs.next() ? rs.getLong(1) : 0;
        }
      }
    }
    before.put(stream, end);
    return end;
  }

  private static void write(Connection c, List<Call> accepted, List<List<Long>> positions,
      Map<String, Long> tentative, Map<String, Long> before) throws SQLException, ConcurrentWriterException {
    try (PreparedStatement insert = c.prepareStatement(INSERT_RECORD)) {
      for (int i = 0; i < accepted.size(); i++) {
        List<StreamAppend> appends = accepted.get(i).appends;
        for (int j = 0; j < appends.size(); j++) {
          StreamAppend append = appends.get(j);
          long position = positions.get(i).get(j);
          for (JournalRecord record : append.records()) {
            insert.setString(1, append.stream());
            insert.setLong(2, position++);
            insert.setString(3, record.type());
            insert.setBytes(4, record.payload());
            insert.addBatch();
          }
        }
      }
      insert.executeBatch();
    }
    List<Map.Entry<String, Long>> created = new ArrayList<>();
    List<Map.Entry<String, Long>> advanced = new ArrayList<>();
    for (Map.Entry<String, Long> end : tentative.entrySet()) {
      (before.getOrDefault(end.getKey(), 0L) == 0 ? created : advanced).add(end);
    }
    if (!created.isEmpty()) {
      try (PreparedStatement insert = c.prepareStatement(INSERT_STREAM)) {
        for (Map.Entry<String, Long> end : created) {
          insert.setString(1, end.getKey());
          insert.setLong(2, end.getValue());
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    if (!advanced.isEmpty()) {
      try (PreparedStatement update = c.prepareStatement(UPDATE_STREAM)) {
        for (Map.Entry<String, Long> end : advanced) {
          update.setLong(1, end.getValue());
          update.setString(2, end.getKey());
          update.setLong(3, before.getOrDefault(end.getKey(), 0L));
          update.addBatch();
        }
        int[] counts = update.executeBatch();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0) {
            throw new ConcurrentWriterException(advanced.get(i).getKey());
          }
        }
      }
    }
  }

  @Override
  public List<JournalEntry> read(String stream, long fromPosition, int maxRecords) {
    StorageNames.requireStream(stream);
    if (fromPosition < 0 || maxRecords <= 0) {
      throw new IllegalArgumentException("read needs a position >= 0 and maxRecords > 0, got " + fromPosition
          + " and " + maxRecords);
    }
    try (Connection c = storage.connection();
        PreparedStatement select = c.prepareStatement(
            "SELECT pos, record_type, payload FROM journal WHERE stream = ? AND pos >= ? ORDER BY pos LIMIT ?")) {
      select.setString(1, stream);
      select.setLong(2, fromPosition);
      select.setInt(3, maxRecords);
      List<JournalEntry> entries = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          entries.add(new JournalEntry(stream, rs.getLong(1), new JournalRecord(rs.getString(2), rs.getBytes(3))));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw storage.failure("reading stream '" + stream + "'", e);
    }
  }

  /** Deletes in slices, so that discarding a day of input does not hold one huge transaction. */
  @Override
  public void truncate(String stream, long beforePosition) {
    StorageNames.requireStream(stream);
    if (beforePosition < 0) {
      throw new IllegalArgumentException("truncate needs a position >= 0, got " + beforePosition);
    }
    try (Connection c = storage.connection()) {
      long first;
      try (PreparedStatement select = c.prepareStatement("SELECT MIN(pos) FROM journal WHERE stream = ?")) {
        select.setString(1, stream);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          first = rs.getLong(1);
          if (rs.wasNull()) {
            return;
          }
        }
      }
      try (PreparedStatement delete =
          c.prepareStatement("DELETE FROM journal WHERE stream = ? AND pos >= ? AND pos < ?")) {
        for (long from = first; from < beforePosition; from += TRUNCATE_SLICE) {
          delete.setString(1, stream);
          delete.setLong(2, from);
          delete.setLong(3, Math.min(beforePosition, from + TRUNCATE_SLICE));
          delete.executeUpdate();
          if (!c.getAutoCommit()) {
            c.commit();
          }
        }
      }
    } catch (SQLException e) {
      throw storage.failure("discarding the records of stream '" + stream + "' before " + beforePosition, e);
    }
  }

  @Override
  public long endPosition(String stream) {
    StorageNames.requireStream(stream);
    try (Connection c = storage.connection(); PreparedStatement select = c.prepareStatement(SELECT_END)) {
      select.setString(1, stream);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw storage.failure("reading the end of stream '" + stream + "'", e);
    }
  }

  @Override
  public List<String> streams(String prefix) {
    StorageNames.requirePrefix(prefix);
    String sql = prefix.isEmpty()
        ? "SELECT stream FROM journal_streams ORDER BY stream"
        : "SELECT stream FROM journal_streams WHERE stream >= ? AND stream < ? ORDER BY stream";
    try (Connection c = storage.connection(); PreparedStatement select = c.prepareStatement(sql)) {
      if (!prefix.isEmpty()) {
        select.setString(1, prefix);
        select.setString(2, prefix + '\u007f');
      }
      List<String> streams = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          streams.add(rs.getString(1));
        }
      }
      return streams;
    } catch (SQLException e) {
      throw storage.failure("listing streams", e);
    }
  }
}
