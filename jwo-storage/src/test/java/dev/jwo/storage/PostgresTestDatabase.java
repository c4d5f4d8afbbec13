package dev.jwo.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database of its own on the PostgreSQL server the tests run against, created for one test class and dropped
 * after it. The server is {@code 127.0.0.1:5432}, user {@code postgres} without password, unless the system
 * properties {@code jwo.test.postgres.url} (of an existing database to connect to for creating others),
 * {@code jwo.test.postgres.user} and {@code jwo.test.postgres.password} say otherwise. If the server cannot be
 * reached the tests fail, saying so: they are never skipped.
 */
final class PostgresTestDatabase implements AutoCloseable {
  static final String ADMIN_URL = System.getProperty("jwo.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  static final String USER = System.getProperty("jwo.test.postgres.user", "postgres");
  static final String PASSWORD = System.getProperty("jwo.test.postgres.password", "");

  private final String name;
  private final String url;
  private final AtomicInteger schemas = new AtomicInteger();

  private PostgresTestDatabase(String name) {
    this.name = name;
    int slash = ADMIN_URL.lastIndexOf('/');
    int query = ADMIN_URL.indexOf('?');
    this.url = ADMIN_URL.substring(0, slash + 1) + name + (query < 0 ? "" : ADMIN_URL.substring(query));
  }

  /** Creates a new, empty database with a unique name. */
  static PostgresTestDatabase create() {
    String name = "jwo_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
    }
    return new PostgresTestDatabase(name);
  }

  private static Connection admin() throws SQLException {
    try {
      return DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        throw new IllegalStateException("PostgreSQL not reachable at " + ADMIN_URL.replace("jdbc:postgresql://", "")
            + " (" + e.getMessage() + "). These tests need it and are never skipped: start it (on Debian:"
            + " pg_ctlcluster <version> main start; check with pg_isready -h 127.0.0.1), or point the tests at"
            + " another server with -Djwo.test.postgres.url=jdbc:postgresql://host:port/db", e);
      }
      throw e;
    }
  }

  /** The JDBC URL of this database. */
  String url() {
    return url;
  }

  /** Settings for this database's default schema. */
  StorageSettings settings() {
    return StorageSettings.postgres(url, USER, PASSWORD, 4);
  }

  /** Creates a new, empty schema in this database and returns settings that use it. */
  StorageSettings newSchema() {
    String schema = "s" + schemas.incrementAndGet();
    execute("CREATE SCHEMA " + schema);
    return StorageSettings.postgres(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER,
        PASSWORD, 4);
  }

  /** Runs a statement in this database. */
  void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Every column of every row of every table of this database, outside PostgreSQL's own schemas. */
  byte[] everyRow() throws SQLException, java.io.IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement sql = c.createStatement()) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      try (java.sql.ResultSet rs = sql.executeQuery("SELECT quote_ident(table_schema) || '.' ||"
          + " quote_ident(table_name) FROM information_schema.tables"
          + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (java.sql.ResultSet rs = sql.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              Object value = rs.getObject(i);
              all.write(value instanceof byte[] bytes ? bytes
                  : String.valueOf(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    return all.toByteArray();
  }

  /**
   * Every raw page (PostgreSQL's 8 KB blocks, as {@code pageinspect}'s {@code get_raw_page} reads them through the
   * buffer cache) of every table, TOAST table and index of this database outside PostgreSQL's own catalogs: live
   * rows, and the bytes of deleted rows that still rest in a page's free space.
   */
  byte[] everyPage() throws SQLException, java.io.IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement sql = c.createStatement()) {
      sql.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
      java.util.Map<String, Long> relations = new java.util.TreeMap<>();
      try (java.sql.ResultSet rs = sql.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
          + " pg_relation_size(c.oid) / current_setting('block_size')::bigint FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 't', 'i', 'm')"
          + " AND (n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
          + " OR c.oid IN (SELECT reltoastrelid FROM pg_class t JOIN pg_namespace tn ON tn.oid = t.relnamespace"
          + " WHERE tn.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')))")) {
        while (rs.next()) {
          relations.put(rs.getString(1), rs.getLong(2));
        }
      }
      try (java.sql.PreparedStatement page = c.prepareStatement(
          "SELECT get_raw_page(?, 'main', b) FROM generate_series(0, ? - 1) b")) {
        for (java.util.Map.Entry<String, Long> relation : relations.entrySet()) {
          page.setString(1, relation.getKey());
          page.setLong(2, relation.getValue());
          try (java.sql.ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
              all.write(rs.getBytes(1));
            }
          }
        }
      }
    }
    return all.toByteArray();
  }

  @Override
  public void close() {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
    }
  }
}
