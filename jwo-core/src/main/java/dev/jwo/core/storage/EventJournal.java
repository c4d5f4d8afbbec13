package dev.jwo.core.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Append-only streams of records. A stream is named by its owner (e.g. {@code cart/v-123}, {@code audit},
 * {@code input}; see {@link StorageNames} for the rules); its records are numbered from 0 in append order and
 * never change. A stream exists once it has a record; streams are never deleted, but a retention schedule may
 * {@linkplain #truncate discard} a stream's oldest records.
 *
 * <p>Contract (checked by {@code StoreStorageContractKit} in {@code jwo-testing}):
 *
 * <ul>
 *   <li><b>Durable when acknowledged.</b> An append that returns (or whose future completes normally) is
 *       committed: it survives the process being killed, and a storage reopened on the same data finds it.
 *   <li><b>Atomic.</b> All records of one {@link #appendAll} call, across all its streams, become visible
 *       together or not at all.
 *   <li><b>Optimistic concurrency.</b> An append that names an expected position is applied only if the stream
 *       ends exactly there; otherwise nothing of the call is applied and it fails with
 *       {@link JournalConflictException}. Work repeated after a restart is recognised this way: the repeated
 *       append conflicts, and the caller reads what is there instead of writing it twice.
 *   <li><b>Ordered.</b> Positions are dense. Calls from one thread are applied in the order they were made
 *       (for {@link #appendAllAsync}, the order of submission); concurrent calls are applied in some order,
 *       each exactly once.
 *   <li><b>Read your writes.</b> A read sees every append acknowledged before it began.
 *   <li><b>Unknown outcome.</b> When the storage cannot tell whether an append committed, it fails with
 *       {@link CommitOutcomeUnknownException}; see there how to retry. Any other {@link StorageException}
 *       means nothing of the call was applied.
 *   <li><b>Closed.</b> After {@link StoreStorage#close()}, every call fails with a {@link StorageException}
 *       that is not retriable.
 * </ul>
 *
 * <p>Implementations are thread-safe. Durable implementations commit concurrent appends together (group
 * commit), so many threads, or many outstanding {@link #appendAllAsync} calls, append much faster than one
 * thread that waits for each append.
 */
public interface EventJournal {
  /** Passed as an expected position: append wherever the stream ends (such an append cannot be recognised). */
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
   * Appends to one or more streams as one atomic, durable unit, and returns once it is committed.
   *
   * @return for each append, the position its first record got
   * @throws JournalConflictException if an expected position does not match; nothing is appended then
   * @throws CommitOutcomeUnknownException if the storage cannot tell whether the call committed
   * @throws StorageException if the storage fails or is closed; nothing is appended then
   * @throws IllegalArgumentException if {@code appends} is empty
   */
  List<Long> appendAll(List<StreamAppend> appends);

  /**
   * Like {@link #appendAll} but does not wait: the future completes with the positions once the appends are
   * committed, or exceptionally with the exception {@link #appendAll} would throw. Calls are applied in the
   * order they are made, so a caller may keep many outstanding (e.g. acknowledge sensor input as each future
   * completes). The default implementation appends synchronously.
   */
  default CompletableFuture<List<Long>> appendAllAsync(List<StreamAppend> appends) {
    try {
      return CompletableFuture.completedFuture(appendAll(appends));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Up to {@code maxRecords} entries of {@code stream} from {@code fromPosition}, in order; empty if the stream
   * has no record there (or does not exist).
   *
   * @throws IllegalArgumentException if {@code fromPosition} is negative or {@code maxRecords} is not positive
   */
  List<JournalEntry> read(String stream, long fromPosition, int maxRecords);

  /** The position the next record appended to {@code stream} will get, i.e. its number of records. */
  long endPosition(String stream);

  /** Names of the streams that have records and start with {@code prefix}, in name order. */
  List<String> streams(String prefix);

  /**
   * Discards the records of {@code stream} before {@code beforePosition}, as a retention schedule requires: they
   * can no longer be read (reads from an earlier position start at the first record kept), while the positions of
   * the others and the stream's end do not change, nor does a later append. Idempotent; a position beyond the end
   * discards every record there is. Durable when it returns.
   *
   * @throws UnsupportedOperationException if this storage cannot discard records (the default, for storages
   *     written before this method existed)
   * @throws IllegalArgumentException if {@code beforePosition} is negative
   */
  default void truncate(String stream, long beforePosition) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot discard journal records");
  }
}
