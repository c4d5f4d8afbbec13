package dev.jwo.core.storage;

import org.jspecify.annotations.Nullable;

/**
 * A write was sent for commit and the storage could not say whether it committed (the connection dropped, the
 * database went away mid-commit). The write may or may not be durable; it is {@link #isRetriable() retriable}
 * in this way only:
 *
 * <ul>
 *   <li>a journal append with expected positions: repeat it with the same expected positions. If it succeeds,
 *       the first attempt had not committed. If it fails with a {@link JournalConflictException}, read the
 *       stream at the expected position: the same records there mean the first attempt committed.
 *   <li>a keyed write with an expected version: repeat it with the same expected version; a
 *       {@link VersionConflictException} whose current row holds the same value at the next version means the
 *       first attempt committed.
 *   <li>an append at {@link EventJournal#ANY_POSITION} or a write at {@link KeyedTable#ANY_VERSION} cannot be
 *       recognised: repeating it may apply it twice. Use expected positions for anything that must be applied
 *       once.
 * </ul>
 */
public final class CommitOutcomeUnknownException extends StorageException {
  private static final long serialVersionUID = 1L;

  public CommitOutcomeUnknownException(String message, @Nullable Throwable cause) {
    super(message, true, cause);
  }
}
