package dev.jwo.core.storage;

import java.util.List;
import java.util.Optional;

/**
 * One of the few tables of current state looked up by key: payment state per visit, receipts, per-person keys,
 * consent and disclosure versions. Values are opaque bytes; every write gives the row a new version, so that
 * writers can compare and set. Deleting a row destroys it (this is how per-person keys are shredded); a key
 * written again after a delete starts again at version 1. Keys follow {@link StorageNames}.
 *
 * <p>Contract (checked by {@code StoreStorageContractKit} in {@code jwo-testing}): a write or delete that
 * returns is durable; a read sees every write acknowledged before it began; concurrent writes with the same
 * expected version are applied at most once, the others fail with {@link VersionConflictException}. When the
 * storage cannot tell whether a write committed it fails with {@link CommitOutcomeUnknownException} (see there
 * how to retry); any other {@link StorageException} means the write was not applied. After
 * {@link StoreStorage#close()}, every call fails with a {@link StorageException} that is not retriable.
 */
public interface KeyedTable {
  /** Passed as an expected version: write whatever the current version is (such a write cannot be recognised). */
  long ANY_VERSION = -1;
  /** Passed as an expected version: the key must not exist yet. */
  long ABSENT = 0;

  /** The table's name, e.g. {@code receipts}. */
  String name();

  /** The row's current value and version, if the key exists. */
  Optional<VersionedValue> get(String key);

  /**
   * Writes {@code value} under {@code key}, durably.
   *
   * @param expectedVersion the version the row must have now: {@link #ABSENT}, a version from {@link #get},
   *     or {@link #ANY_VERSION}
   * @return the new version (1 for a new row, then increasing by one per write)
   * @throws VersionConflictException if the row's version differs from {@code expectedVersion}
   * @throws IllegalArgumentException if the key or value break the rules of {@link StorageNames}
   */
  long put(String key, byte[] value, long expectedVersion);

  /** Deletes the row, durably; returns whether it existed. */
  boolean delete(String key);

  /**
   * Deletes the row, durably, only if it is still at {@code expectedVersion} (a version from {@link #get} or
   * {@link #put}), so that a row rewritten since it was read is kept.
   *
   * @throws VersionConflictException if the row is at another version or absent; nothing is deleted
   * @throws IllegalArgumentException if {@code expectedVersion} is not a version (below 1)
   */
  boolean delete(String key, long expectedVersion);

  /** Rows whose keys start with {@code prefix} ({@code ""} for all), in key order. */
  List<KeyedValue> scan(String prefix);
}
