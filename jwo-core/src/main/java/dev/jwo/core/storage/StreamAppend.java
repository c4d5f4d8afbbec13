package dev.jwo.core.storage;

import java.util.List;
import java.util.Objects;

/**
 * Records to append at the end of one stream.
 *
 * @param stream the stream's name, following {@link StorageNames}
 *
 * @param expectedPosition the position the first record must get (the stream's current length), or
 *     {@link EventJournal#ANY_POSITION} to append wherever the stream ends
 */
public record StreamAppend(String stream, long expectedPosition, List<JournalRecord> records) {
  public StreamAppend {
    StorageNames.requireStream(stream);
    records = List.copyOf(records);
    if (records.isEmpty()) {
      throw new IllegalArgumentException("an append needs at least one record");
    }
    if (expectedPosition < EventJournal.ANY_POSITION) {
      throw new IllegalArgumentException("expected position must be a position or ANY_POSITION");
    }
  }

  public static StreamAppend of(String stream, long expectedPosition, JournalRecord... records) {
    return new StreamAppend(stream, expectedPosition, List.of(records));
  }

  public static StreamAppend atEnd(String stream, JournalRecord... records) {
    return new StreamAppend(stream, EventJournal.ANY_POSITION, List.of(records));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamAppend a
        && a.stream.equals(stream) && a.expectedPosition == expectedPosition && a.records.equals(records);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, expectedPosition, records);
  }
}
