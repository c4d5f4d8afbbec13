package dev.jwo.core.storage;

/** A keyed write expected one version of a row and found another. Read the row again, then decide. */
public final class VersionConflictException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String key;
  private final long expectedVersion;
  private final long actualVersion;

  /** {@code actual} is {@link KeyedTable#ABSENT} when the row does not exist. */
  public VersionConflictException(String table, String key, long expected, long actual) {
    super("row '" + key + "' of table '" + table + "' is at version " + actual + ", the write expected " + expected,
        false);
    this.table = table;
    this.key = key;
    this.expectedVersion = expected;
    this.actualVersion = actual;
  }

  public String table() {
    return table;
  }

  public String key() {
    return key;
  }

  public long expectedVersion() {
    return expectedVersion;
  }

  /** The row's version when the write was refused, {@link KeyedTable#ABSENT} if it did not exist. */
  public long actualVersion() {
    return actualVersion;
  }
}
