package dev.jwo.storage.internal;

import dev.jwo.core.storage.CommitOutcomeUnknownException;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageNames;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A keyed table as rows of {@code keyed_rows}. A write locks the row it reads ({@code SELECT ... FOR UPDATE}),
 * so concurrent writers with the same expected version serialise and all but one conflict, and it updates the row
 * only if its version is still the one read (a lock that let a stale read through never loses an update); a new
 * row is guarded by the primary key.
 */
final class JdbcKeyedTable implements KeyedTable {
  private static final int RACE_RETRIES = 3;
  private static final int STALE_RETRIES = 100;

  private final JdbcStoreStorage storage;
  private final String name;

  JdbcKeyedTable(JdbcStoreStorage storage, String name) {
    this.storage = storage;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<VersionedValue> get(String key) {
    StorageNames.requireKey(key);
    try (Connection c = storage.connection();
        PreparedStatement select = c.prepareStatement(
            "SELECT row_value, version FROM keyed_rows WHERE table_name = ? AND row_key = ?")) {
      select.setString(1, name);
      select.setString(2, key);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(new VersionedValue(rs.getBytes(1), rs.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw storage.failure("reading row '" + key + "' of table '" + name + "'", e);
    }
  }

  @Override
  public long put(String key, byte[] value, long expectedVersion) {
    StorageNames.requireKey(key);
    StorageNames.requirePayload(value, "a row's value");
    if (expectedVersion < ANY_VERSION) {
      throw new IllegalArgumentException("expected version must be a version, ABSENT or ANY_VERSION");
    }
    synchronized (storage.rowLock(name, key)) {
      return putLocked(key, value, expectedVersion);
    }
  }

  private long putLocked(String key, byte[] value, long expectedVersion) {
    for (int attempt = 0; ; attempt++) {
      try {
        return tryPut(key, value, expectedVersion);
      } catch (StaleReadException e) {
        if (expectedVersion != ANY_VERSION) {
          long now = get(key).map(VersionedValue::version).orElse(ABSENT);
          throw new VersionConflictException(name, key, expectedVersion, now);
        }
        // Any version will do: read again and write over the newer one.
        if (attempt >= STALE_RETRIES) {
          throw new IllegalStateException("row '" + key + "' of table '" + name + "' kept changing under "
              + STALE_RETRIES + " writes in a row");
        }
      } catch (SQLException e) {
        // Two writers inserted the same new row at once: the loser's insert violates the key.
        if (SqlFailures.isUniqueViolation(e) && attempt < RACE_RETRIES) {
          continue;
        }
        throw storage.failure("writing row '" + key + "' of table '" + name + "'", e);
      }
    }
  }

  /** The row a write read had changed by the time it was written. */
  private static final class StaleReadException extends Exception {
    private static final long serialVersionUID = 1L;

    StaleReadException() {
      super(null, null, false, false);
    }
  }

  private long tryPut(String key, byte[] value, long expectedVersion) throws SQLException, StaleReadException {
    try (Connection c = storage.connection()) {
      c.setAutoCommit(false);
      long actual;
      try (PreparedStatement select = c.prepareStatement(
          "SELECT version FROM keyed_rows WHERE table_name = ? AND row_key = ? FOR UPDATE")) {
        select.setString(1, name);
        select.setString(2, key);
        try (ResultSet rs = select.executeQuery()) {
          actual = rs.next() ? rs.getLong(1) : ABSENT;
        }
      }
      if (expectedVersion != ANY_VERSION && expectedVersion != actual) {
        c.rollback();
        throw new VersionConflictException(name, key, expectedVersion, actual);
      }
      long next = actual + 1;
      String sql = actual == ABSENT
          ? "INSERT INTO keyed_rows (row_value, version, table_name, row_key) VALUES (?, ?, ?, ?)"
          : "UPDATE keyed_rows SET row_value = ?, version = ? WHERE table_name = ? AND row_key = ? AND version = ?";
      int written;
      try (PreparedStatement write = c.prepareStatement(sql)) {
        write.setBytes(1, value);
        write.setLong(2, next);
        write.setString(3, name);
        write.setString(4, key);
        if (actual != ABSENT) {
          write.setLong(5, actual);
        }
        written = write.executeUpdate();
      }
      if (written == 0) {
        // The row changed after it was read: a database whose row lock let a stale read through (H2 under load
        // was seen to). Nothing is written; the caller's expectation no longer holds.
        c.rollback();
        throw new StaleReadException();
      }
      commit(c, "write of row '" + key + "'");
      return next;
    }
  }

  @Override
  public boolean delete(String key) {
    StorageNames.requireKey(key);
    try (Connection c = storage.connection()) {
      c.setAutoCommit(false);
      int deleted;
      try (PreparedStatement delete = c.prepareStatement(
          "DELETE FROM keyed_rows WHERE table_name = ? AND row_key = ?")) {
        delete.setString(1, name);
        delete.setString(2, key);
        deleted = delete.executeUpdate();
      }
      commit(c, "delete of row '" + key + "'");
      return deleted > 0;
    } catch (SQLException e) {
      throw storage.failure("deleting row '" + key + "' of table '" + name + "'", e);
    }
  }

  @Override
  public boolean delete(String key, long expectedVersion) {
    StorageNames.requireKey(key);
    StorageNames.requireVersion(expectedVersion);
    synchronized (storage.rowLock(name, key)) {
      int deleted;
      try (Connection c = storage.connection()) {
        c.setAutoCommit(false);
        try (PreparedStatement delete = c.prepareStatement(
            "DELETE FROM keyed_rows WHERE table_name = ? AND row_key = ? AND version = ?")) {
          delete.setString(1, name);
          delete.setString(2, key);
          delete.setLong(3, expectedVersion);
          deleted = delete.executeUpdate();
        }
        if (deleted == 0) {
          c.rollback();
        } else {
          commit(c, "delete of row '" + key + "'");
        }
      } catch (SQLException e) {
        throw storage.failure("deleting row '" + key + "' of table '" + name + "'", e);
      }
      if (deleted == 0) {
        throw new VersionConflictException(name, key, expectedVersion,
            get(key).map(VersionedValue::version).orElse(ABSENT));
      }
      return true;
    }
  }

  @Override
  public List<KeyedValue> scan(String prefix) {
    StorageNames.requirePrefix(prefix);
    String sql = "SELECT row_key, row_value, version FROM keyed_rows WHERE table_name = ?"
        + (prefix.isEmpty() ? "" : " AND row_key >= ? AND row_key < ?") + " ORDER BY row_key";
    try (Connection c = storage.connection(); PreparedStatement select = c.prepareStatement(sql)) {
      select.setString(1, name);
      if (!prefix.isEmpty()) {
        select.setString(2, prefix);
        select.setString(3, prefix + '\u007f');
      }
      List<KeyedValue> rows = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(new KeyedValue(rs.getString(1), new VersionedValue(rs.getBytes(2), rs.getLong(3))));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw storage.failure("scanning table '" + name + "'", e);
    }
  }

  private void commit(Connection c, String what) {
    try {
      c.commit();
    } catch (SQLException e) {
      if (storage.isClosed()) {
        throw storage.closedException();
      }
      throw new CommitOutcomeUnknownException(storage.describe() + ": the commit of the " + what + " of table '"
          + name + "' did not complete (" + SqlFailures.describe(e) + "); it may or may not be committed", e);
    }
  }
}
