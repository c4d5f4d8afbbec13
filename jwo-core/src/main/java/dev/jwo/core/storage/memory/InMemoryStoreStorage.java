package dev.jwo.core.storage.memory;

import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StorageNames;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@link StoreStorage} in memory. Thread-safe; follows the same contract as the durable implementations, except
 * that nothing survives the process.
 */
public final class InMemoryStoreStorage implements StoreStorage {
  private final Journal journal = new Journal(this);
  private final Map<String, Table> tables = new HashMap<>();
  private volatile boolean closed;

  @Override
  public EventJournal journal() {
    return journal;
  }

  @Override
  public synchronized KeyedTable table(String name) {
    StorageNames.requireTable(name);
    checkOpen();
    return tables.computeIfAbsent(name, n -> new Table(n, this));
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public String describe() {
    return "in-memory storage (nothing survives the process)";
  }

  @Override
  public void close() {
    closed = true;
  }

  void checkOpen() {
    if (closed) {
      throw new StorageException("in-memory storage is closed", false);
    }
  }

  private static final class Journal implements EventJournal {
    private final InMemoryStoreStorage owner;
    /** Each stream's records by position; a discarded record is null. */
    private final TreeMap<String, List<@Nullable JournalRecord>> streams = new TreeMap<>();

    Journal(InMemoryStoreStorage owner) {
      this.owner = owner;
    }

    @Override
    public synchronized List<Long> appendAll(List<StreamAppend> appends) {
      if (appends.isEmpty()) {
        throw new IllegalArgumentException("appendAll needs at least one append");
      }
      owner.checkOpen();
      Map<String, Long> ends = new HashMap<>();
      List<Long> firsts = new ArrayList<>(appends.size());
      for (StreamAppend append : appends) {
        long end = ends.computeIfAbsent(append.stream(), this::end);
        if (append.expectedPosition() != ANY_POSITION && append.expectedPosition() != end) {
          throw new JournalConflictException(append.stream(), append.expectedPosition(), end);
        }
        firsts.add(end);
        ends.put(append.stream(), end + append.records().size());
      }
      for (StreamAppend append : appends) {
        streams.computeIfAbsent(append.stream(), s -> new ArrayList<>()).addAll(append.records());
      }
      return firsts;
    }

    @Override
    public synchronized List<JournalEntry> read(String stream, long fromPosition, int maxRecords) {
      StorageNames.requireStream(stream);
      if (fromPosition < 0 || maxRecords <= 0) {
        throw new IllegalArgumentException("read needs a position >= 0 and maxRecords > 0, got " + fromPosition
            + " and " + maxRecords);
      }
      owner.checkOpen();
      List<@Nullable JournalRecord> records = streams.getOrDefault(stream, List.of());
      List<JournalEntry> out = new ArrayList<>();
      for (long p = fromPosition; p < records.size() && out.size() < maxRecords; p++) {
        JournalRecord record = records.get((int) p);
        if (record != null) {
          out.add(new JournalEntry(stream, p, record));
        }
      }
      return out;
    }

    @Override
    public synchronized void truncate(String stream, long beforePosition) {
      StorageNames.requireStream(stream);
      if (beforePosition < 0) {
        throw new IllegalArgumentException("truncate needs a position >= 0, got " + beforePosition);
      }
      owner.checkOpen();
      List<@Nullable JournalRecord> records = streams.getOrDefault(stream, List.of());
      for (int p = 0; p < Math.min(beforePosition, records.size()); p++) {
        records.set(p, null);
      }
    }

    @Override
    public synchronized long endPosition(String stream) {
      StorageNames.requireStream(stream);
      owner.checkOpen();
      return end(stream);
    }

    private long end(String stream) {
      return streams.getOrDefault(stream, List.of()).size();
    }

    @Override
    public synchronized List<String> streams(String prefix) {
      StorageNames.requirePrefix(prefix);
      owner.checkOpen();
      return streams.tailMap(prefix, true).keySet().stream().takeWhile(s -> s.startsWith(prefix)).toList();
    }
  }

  private static final class Table implements KeyedTable {
    private final String name;
    private final InMemoryStoreStorage owner;
    private final TreeMap<String, VersionedValue> rows = new TreeMap<>();

    Table(String name, InMemoryStoreStorage owner) {
      this.name = name;
      this.owner = owner;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public synchronized Optional<VersionedValue> get(String key) {
      StorageNames.requireKey(key);
      owner.checkOpen();
      return Optional.ofNullable(rows.get(key));
    }

    @Override
    public synchronized long put(String key, byte[] value, long expectedVersion) {
      StorageNames.requireKey(key);
      StorageNames.requirePayload(value, "a row's value");
      if (expectedVersion < ANY_VERSION) {
        throw new IllegalArgumentException("expected version must be a version, ABSENT or ANY_VERSION");
      }
      owner.checkOpen();
      VersionedValue current = rows.get(key);
      long actual = current == null ? ABSENT : current.version();
      if (expectedVersion != ANY_VERSION && expectedVersion != actual) {
        throw new VersionConflictException(name, key, expectedVersion, actual);
      }
      rows.put(key, new VersionedValue(value, actual + 1));
      return actual + 1;
    }

    @Override
    public synchronized boolean delete(String key) {
      StorageNames.requireKey(key);
      owner.checkOpen();
      return rows.remove(key) != null;
    }

    @Override
    public synchronized boolean delete(String key, long expectedVersion) {
      StorageNames.requireKey(key);
      StorageNames.requireVersion(expectedVersion);
      owner.checkOpen();
      VersionedValue current = rows.get(key);
      long actual = current == null ? ABSENT : current.version();
      if (actual != expectedVersion) {
        throw new VersionConflictException(name, key, expectedVersion, actual);
      }
      rows.remove(key);
      return true;
    }

    @Override
    public synchronized List<KeyedValue> scan(String prefix) {
      StorageNames.requirePrefix(prefix);
      owner.checkOpen();
      return rows.tailMap(prefix, true).entrySet().stream()
          .takeWhile(e -> e.getKey().startsWith(prefix))
          .map(e -> new KeyedValue(e.getKey(), e.getValue()))
          .toList();
    }
  }
}
