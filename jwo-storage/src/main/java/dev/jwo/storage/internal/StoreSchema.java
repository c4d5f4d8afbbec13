package dev.jwo.storage.internal;

import dev.jwo.core.StoreId;
import dev.jwo.storage.StorageStartupException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Brings a database to the schema this release knows, at start-up, and checks that it holds this store's data:
 * refuses a database of another program, of another store, or with a schema newer than this release knows.
 */
final class StoreSchema {
  static final String HISTORY_TABLE = "jwo_schema_history";
  static final String FORMAT = "jwo-store";
  static final String MIGRATIONS = "classpath:dev/jwo/storage/migration";

  private StoreSchema() {}

  /**
   * Migrates and checks the database.
   *
   * @param location the data's location for messages, e.g. {@code "the data directory /srv/jwo"}
   * @return the schema version after migration
   */
  static String prepare(DataSource dataSource, Dialect dialect, String location, StoreId store) {
    boolean existing = refuseForeignTables(dataSource, location);
    Flyway flyway = Flyway.configure(StoreSchema.class.getClassLoader())
        .dataSource(dataSource)
        .table(HISTORY_TABLE)
        .locations(MIGRATIONS)
        .placeholders(dialect.placeholders())
        .cleanDisabled(true)
        .validateMigrationNaming(true)
        .load();
    if (existing) {
      refuseUnknownMigrations(flyway, location);
    }
    try {
      flyway.migrate();
    } catch (FlywayException e) {
      throw new StorageStartupException(location + ": the schema could not be brought up to date: "
          + e.getMessage(), false, e);
    }
    checkIdentity(dataSource, location, store);
    MigrationInfo current = flyway.info().current();
    return current == null || current.getVersion() == null ? "?" : current.getVersion().getVersion();
  }

  /** Returns whether the database holds a jwo store; fails if it holds tables of something else. */
  private static boolean refuseForeignTables(DataSource dataSource, String location) {
    List<String> tables = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
      }
    } catch (SQLException e) {
      throw new StorageStartupException(location + ": cannot list the tables of the database: "
          + SqlFailures.describe(e), SqlFailures.isRetriable(e), e);
    }
    if (tables.isEmpty()) {
      return false;
    }
    if (!tables.contains(HISTORY_TABLE)) {
      throw new StorageStartupException(location + " holds a database of another program (tables "
          + new TreeSet<>(tables).stream().limit(10).collect(Collectors.joining(", "))
          + "), not a jwo store; point the storage at an empty location", false, null);
    }
    return true;
  }

  private static void refuseUnknownMigrations(Flyway flyway, String location) {
    MigrationInfo[] all;
    try {
      all = flyway.info().all();
    } catch (FlywayException e) {
      throw new StorageStartupException(location + ": cannot read the schema history: " + e.getMessage(), false,
          e);
    }
    String known = Arrays.stream(all)
        .filter(i -> i.getState() != MigrationState.FUTURE_SUCCESS && i.getState() != MigrationState.FUTURE_FAILED)
        .filter(i -> i.getVersion() != null)
        .map(i -> i.getVersion().getVersion())
        .reduce((a, b) -> b)
        .orElse("none");
    for (MigrationInfo info : all) {
      if (info.getState() == MigrationState.FUTURE_SUCCESS || info.getState() == MigrationState.FUTURE_FAILED) {
        throw new StorageStartupException(location + " has schema version " + info.getVersion()
            + " (\"" + info.getDescription() + "\"), written by a newer jwo release; this release knows versions up"
            + " to " + known + ". Run the newer release, or restore a backup made by this one", false, null);
      }
      if (info.getState() == MigrationState.FAILED) {
        throw new StorageStartupException(location + ": the migration to schema version " + info.getVersion()
            + " failed earlier and left the schema half changed; restore a backup", false, null);
      }
    }
  }

  private static void checkIdentity(DataSource dataSource, String location, StoreId store) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement select = c.prepareStatement("SELECT format, store_id FROM jwo_store WHERE id = 1");
          ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          String format = rs.getString(1);
          String owner = rs.getString(2);
          c.rollback();
          if (!FORMAT.equals(format)) {
            throw new StorageStartupException(location + " holds data of format '" + format + "', not a jwo store",
                false, null);
          }
          if (!store.value().equals(owner)) {
            throw new StorageStartupException(location + " holds the data of store '" + owner + "', not of store '"
                + store.value() + "'; point the storage at this store's own location", false, null);
          }
          return;
        }
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO jwo_store (id, format, store_id, created_at) VALUES (1, ?, ?, ?)")) {
        insert.setString(1, FORMAT);
        insert.setString(2, store.value());
        insert.setString(3, Instant.now().toString());
        insert.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      throw new StorageStartupException(location + ": cannot read or record whose data it holds: "
          + SqlFailures.describe(e), SqlFailures.isRetriable(e), e);
    }
  }
}
