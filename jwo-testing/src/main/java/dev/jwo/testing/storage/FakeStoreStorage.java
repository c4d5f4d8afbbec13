package dev.jwo.testing.storage;

import dev.jwo.core.storage.CommitOutcomeUnknownException;
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
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A deliberately simple {@link StoreStorage} for unit tests: everything in memory under one lock, passing the same
 * contract kit as the real storage. Beyond that it can play the two things that are hard to make happen for real:
 *
 * <ul>
 *   <li>a <b>restart</b>: {@link #reopen()} closes this storage and returns a new one over the same data, as a
 *       server restarted on the same data directory would see it;
 *   <li>a <b>commit whose outcome is unknown</b>: {@link #failNextWrite(boolean)} makes the next append, put or
 *       delete throw {@link CommitOutcomeUnknownException}, after applying it or not, so that retry logic can be
 *       tested both ways.
 * </ul>
 */
public final class FakeStoreStorage implements StoreStorage {
  private final Data data;
  private final Journal journal = new Journal();
  private boolean closed;

  /** A new, empty storage. */
  public FakeStoreStorage() {
    this(new Data());
  }

  private FakeStoreStorage(Data data) {
    this.data = data;
  }

  /** The data every reopening of one storage shares; its lock guards all of it. */
  private static final class Data {
    /** Each stream's records by position; a discarded record is null. */
    final TreeMap<String, List<@Nullable JournalRecord>> streams = new TreeMap<>();
    final Map<String, TreeMap<String, VersionedValue>> tables = new HashMap<>();
    @Nullable Boolean nextWriteApplied;
  }

  /** Closes this storage and returns a new one on the same data, as after a restart. */
  public FakeStoreStorage reopen() {
    close();
    return new FakeStoreStorage(data);
  }

  /**
   * Makes the next write (append, put or delete) throw {@link CommitOutcomeUnknownException}; it is applied
   * first if {@code applied}, otherwise not at all.
   */
  public void failNextWrite(boolean applied) {
    synchronized (data) {
      data.nextWriteApplied = applied;
    }
  }

  @Override
  public EventJournal journal() {
    return journal;
  }

  @Override
  public KeyedTable table(String name) {
    StorageNames.requireTable(name);
    synchronized (data) {
      checkOpen();
      return new Table(name);
    }
  }

  @Override
  public String describe() {
    return "fake storage in memory";
  }

  @Override
  public void close() {
    synchronized (data) {
      closed = true;
    }
  }

  /** Called under the lock. */
  private void checkOpen() {
    if (closed) {
      throw new StorageException("fake storage is closed", false);
    }
  }

  /** Called under the lock before a write: applies the write, and fails afterwards if told to. */
  private <T> T write(java.util.function.Supplier<T> apply) {
    checkOpen();
    Boolean applied = data.nextWriteApplied;
    data.nextWriteApplied = null;
    if (applied == null) {
      return apply.get();
    }
    if (applied) {
      var unused = apply.get();
    }
    throw new CommitOutcomeUnknownException("fake storage: the commit outcome is unknown (" + (applied
        ? "it was applied" : "it was not applied") + ")", null);
  }

  private final class Journal implements EventJournal {
    @Override
    public List<Long> appendAll(List<StreamAppend> appends) {
      if (appends.isEmpty()) {
        throw new IllegalArgumentException("appendAll needs at least one append");
      }
      synchronized (data) {
        checkOpen();
        Map<String, Long> ends = new HashMap<>();
        List<Long> firsts = new ArrayList<>();
        for (StreamAppend append : appends) {
          long end = ends.computeIfAbsent(append.stream(), s -> (long) records(s).size());
          if (append.expectedPosition() != ANY_POSITION && append.expectedPosition() != end) {
            throw new JournalConflictException(append.stream(), append.expectedPosition(), end);
          }
          firsts.add(end);
          ends.put(append.stream(), end + append.records().size());
        }
        return write(() -> {
          for (StreamAppend append : appends) {
            data.streams.computeIfAbsent(append.stream(), s -> new ArrayList<>()).addAll(append.records());
          }
          return firsts;
        });
      }
    }

    private List<@Nullable JournalRecord> records(String stream) {
      return data.streams.getOrDefault(stream, List.of());
    }

    @Override
    public List<JournalEntry> read(String stream, long fromPosition, int maxRecords) {
      StorageNames.requireStream(stream);
      if (fromPosition < 0 || maxRecords <= 0) {
        throw new IllegalArgumentException("read needs a position >= 0 and maxRecords > 0");
      }
      synchronized (data) {
        checkOpen();
        List<@Nullable JournalRecord> records = records(stream);
        List<JournalEntry> out = new ArrayList<>();
        for (long p = fromPosition; p < records.size() && out.size() < maxRecords; p++) {
          JournalRecord record = records.get((int) p);
          if (record != null) {
            out.add(new JournalEntry(stream, p, record));
          }
        }
        return out;
      }
    }

    @Override
    public void truncate(String stream, long beforePosition) {
      StorageNames.requireStream(stream);
      if (beforePosition < 0) {
        throw new IllegalArgumentException("truncate needs a position >= 0");
      }
      synchronized (data) {
        checkOpen();
        List<@Nullable JournalRecord> records = records(stream);
        write(() -> {
          for (int p = 0; p < Math.min(beforePosition, records.size()); p++) {
            records.set(p, null);
          }
          return null;
        });
      }
    }

    @Override
    public long endPosition(String stream) {
      StorageNames.requireStream(stream);
      synchronized (data) {
        checkOpen();
        return records(stream).size();
      }
    }

    @Override
    public List<String> streams(String prefix) {
      StorageNames.requirePrefix(prefix);
      synchronized (data) {
        checkOpen();
        List<String> names = new ArrayList<>();
        for (String name : data.streams.tailMap(prefix, true).keySet()) {
          if (!name.startsWith(prefix)) {
            break;
          }
          names.add(name);
        }
        return names;
      }
    }
  }

  private final class Table implements KeyedTable {
    private final String name;

    Table(String name) {
      this.name = name;
    }

    private NavigableMap<String, VersionedValue> rows() {
      return data.tables.computeIfAbsent(name, n -> new TreeMap<>());
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<VersionedValue> get(String key) {
      StorageNames.requireKey(key);
      synchronized (data) {
        checkOpen();
        return Optional.ofNullable(rows().get(key));
      }
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
      StorageNames.requireKey(key);
      StorageNames.requirePayload(value, "a row's value");
      if (expectedVersion < ANY_VERSION) {
        throw new IllegalArgumentException("expected version must be a version, ABSENT or ANY_VERSION");
      }
      synchronized (data) {
        checkOpen();
        VersionedValue current = rows().get(key);
        long actual = current == null ? ABSENT : current.version();
        if (expectedVersion != ANY_VERSION && expectedVersion != actual) {
          throw new VersionConflictException(name, key, expectedVersion, actual);
        }
        return write(() -> {
          rows().put(key, new VersionedValue(value, actual + 1));
          return actual + 1;
        });
      }
    }

    @Override
    public boolean delete(String key) {
      StorageNames.requireKey(key);
      synchronized (data) {
        return write(() -> rows().remove(key) != null);
      }
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
      StorageNames.requireKey(key);
      StorageNames.requireVersion(expectedVersion);
      synchronized (data) {
        checkOpen();
        VersionedValue current = rows().get(key);
        long actual = current == null ? ABSENT : current.version();
        if (actual != expectedVersion) {
          throw new VersionConflictException(name, key, expectedVersion, actual);
        }
        return write(() -> rows().remove(key) != null);
      }
    }

    @Override
    public List<KeyedValue> scan(String prefix) {
      StorageNames.requirePrefix(prefix);
      synchronized (data) {
        checkOpen();
        List<KeyedValue> out = new ArrayList<>();
        for (Map.Entry<String, VersionedValue> row : rows().tailMap(prefix, true).entrySet()) {
          if (!row.getKey().startsWith(prefix)) {
            break;
          }
          out.add(new KeyedValue(row.getKey(), row.getValue()));
        }
        return out;
      }
    }
  }
}
