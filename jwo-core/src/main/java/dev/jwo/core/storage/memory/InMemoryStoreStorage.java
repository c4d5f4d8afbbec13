package dev.jwo.core.storage.memory;

import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
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
import java.util.regex.Pattern;

/** {@link StoreStorage} in memory. Thread-safe; follows the same contract as the durable implementations. */
public final class InMemoryStoreStorage implements StoreStorage {
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private final Journal journal = new Journal();
  private final Map<String, Table> tables = new HashMap<>();

  @Override
  public EventJournal journal() {
    return journal;
  }

  @Override
  public synchronized KeyedTable table(String name) {
    if (!TABLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("table name '" + name + "' must be lowercase letters, digits and underscores");
    }
    return tables.computeIfAbsent(name, Table::new);
  }

  @Override
  public String describe() {
    return "in-memory storage (nothing survives the process)";
  }

  @Override
  public void close() {}

  private static final class Journal implements EventJournal {
    private final TreeMap<String, List<JournalRecord>> streams = new TreeMap<>();

    @Override
    public synchronized List<Long> appendAll(List<StreamAppend> appends) {
      Map<String, Long> ends = new HashMap<>();
      List<Long> firsts = new ArrayList<>(appends.size());
      for (StreamAppend append : appends) {
        long end = ends.computeIfAbsent(append.stream(), this::endPosition);
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
      List<JournalRecord> records = streams.getOrDefault(stream, List.of());
      List<JournalEntry> out = new ArrayList<>();
      for (long p = Math.max(0, fromPosition); p < records.size() && out.size() < maxRecords; p++) {
        out.add(new JournalEntry(stream, p, records.get((int) p)));
      }
      return out;
    }

    @Override
    public synchronized long endPosition(String stream) {
      return streams.getOrDefault(stream, List.of()).size();
    }

    @Override
    public synchronized List<String> streams(String prefix) {
      return streams.tailMap(prefix, true).keySet().stream().takeWhile(s -> s.startsWith(prefix)).toList();
    }
  }

  private static final class Table implements KeyedTable {
    private final String name;
    private final TreeMap<String, VersionedValue> rows = new TreeMap<>();

    Table(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public synchronized Optional<VersionedValue> get(String key) {
      return Optional.ofNullable(rows.get(key));
    }

    @Override
    public synchronized long put(String key, byte[] value, long expectedVersion) {
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
      return rows.remove(key) != null;
    }

    @Override
    public synchronized List<KeyedValue> scan(String prefix) {
      return rows.tailMap(prefix, true).entrySet().stream()
          .takeWhile(e -> e.getKey().startsWith(prefix))
          .map(e -> new KeyedValue(e.getKey(), e.getValue()))
          .toList();
    }
  }
}
