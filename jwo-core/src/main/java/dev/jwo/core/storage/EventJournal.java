package dev.jwo.core.storage;

import java.util.List;

/**
 * Append-only streams of records. A stream is named by its owner (e.g. {@code cart/v-123}, {@code audit});
 * its records are numbered from 0 in append order and never change.
 *
 * <p>Contract (checked by the kit in {@code jwo-testing}): an append that returns is durable, and all its
 * records (across all its streams) become visible together or not at all; positions are dense; a read sees
 * every record appended before it began.
 */
public interface EventJournal {
  /** Passed as an expected position: append wherever the stream ends. */
  long ANY_POSITION = -1;

  /**
   * Appends records to one stream; see {@link #appendAll}.
   *
   * @return the position of the first record appended
   */
  default long append(StreamAppend append) {
    return appendAll(List.of(append)).get(0);
  }

  /**
   * Appends to several streams as one atomic, durable unit (a batch commits once: use it for throughput).
   *
   * @return for each append, the position its first record got
   * @throws JournalConflictException if an expected position does not match; nothing is appended then
   * @throws StorageException if the storage fails; nothing is appended then
   */
  List<Long> appendAll(List<StreamAppend> appends);

  /** Up to {@code maxRecords} entries of {@code stream} from {@code fromPosition}, in order. */
  List<JournalEntry> read(String stream, long fromPosition, int maxRecords);

  /** The position the next record appended to {@code stream} will get, i.e. its number of records. */
  long endPosition(String stream);

  /** Names of the streams that have records and start with {@code prefix}, in name order. */
  List<String> streams(String prefix);
}
