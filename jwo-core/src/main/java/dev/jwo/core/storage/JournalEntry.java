package dev.jwo.core.storage;

import java.util.Objects;

/** A record as stored: its stream, its position in the stream (from 0) and the record itself. */
public record JournalEntry(String stream, long position, JournalRecord record) {
  public JournalEntry {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(record, "record");
    if (position < 0) {
      throw new IllegalArgumentException("position must not be negative");
    }
  }
}
