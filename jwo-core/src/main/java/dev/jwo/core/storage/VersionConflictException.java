package dev.jwo.core.storage;

/** A keyed write expected one version of a row and found another. Read the row again, then decide. */
public final class VersionConflictException extends StorageException {
  private static final long serialVersionUID = 1L;

  public VersionConflictException(String table, String key, long expected, long actual) {
    super("row '" + key + "' of table '" + table + "' is at version " + actual + ", the write expected " + expected,
        false);
  }
}
