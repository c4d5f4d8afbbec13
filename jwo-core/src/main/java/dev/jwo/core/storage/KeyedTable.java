package dev.jwo.core.storage;

import java.util.List;
import java.util.Optional;

/**
 * One of the few tables of current state looked up by key: payment state per visit, receipts, per-person keys.
 * Values are opaque bytes; every write gives the key a new version, so that writers can compare and set.
 * Deleting a row destroys it (this is how per-person keys are shredded).
 */
public interface KeyedTable {
  /** Passed as an expected version: write whatever the current version is. */
  long ANY_VERSION = -1;
  /** Passed as an expected version: the key must not exist yet. */
  long ABSENT = 0;

  /** The table's name, e.g. {@code receipts}. */
  String name();

  Optional<VersionedValue> get(String key);

  /**
   * Writes {@code value} under {@code key}, durably.
   *
   * @param expectedVersion the version the row must have now: {@link #ABSENT}, a version from {@link #get},
   *     or {@link #ANY_VERSION}
   * @return the new version (1 for a new row, then increasing)
   * @throws VersionConflictException if the row's version differs from {@code expectedVersion}
   */
  long put(String key, byte[] value, long expectedVersion);

  /** Deletes the row, durably; returns whether it existed. */
  boolean delete(String key);

  /** Rows whose keys start with {@code prefix}, in key order. */
  List<KeyedValue> scan(String prefix);
}
