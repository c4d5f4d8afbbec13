package dev.jwo.storage.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jwo.core.StoreId;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StorageNames;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.StorageStartupException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.h2.api.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StoreStorage} over JDBC: the embedded H2 database or PostgreSQL, pooled by HikariCP. Appends go through
 * a {@link GroupCommitJournal}; keyed writes commit one by one.
 */
public final class JdbcStoreStorage implements StoreStorage {
  private static final Logger log = LoggerFactory.getLogger(JdbcStoreStorage.class);

  /** The base name of the embedded database's files in the data directory. */
  public static final String EMBEDDED_NAME = "jwo-store";
  /** The file of the embedded database in the data directory. */
  public static final String EMBEDDED_FILE = EMBEDDED_NAME + ".mv.db";

  /** Data directories of embedded storage open in this process: one storage per directory. */
  private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

  private final HikariDataSource pool;
  private final @Nullable Path directory;
  private final Dialect dialect;
  private final String description;
  private final GroupCommitJournal journal;
  private final Map<String, JdbcKeyedTable> tables = new ConcurrentHashMap<>();
  /**
   * Writers of one row in this process take one of these locks, so that they never race inside the database: the
   * embedded database was seen to let a stale read through its row lock under load and lose compare-and-set
   * updates. Writers in other processes (PostgreSQL) are still serialised by the database's row lock.
   */
  private final Object[] rowLocks = Stream.generate(Object::new).limit(64).toArray();
  private final io.micrometer.core.instrument.Timer purges;
  private volatile boolean closed;
  private boolean closing;

  private JdbcStoreStorage(HikariDataSource pool, @Nullable Path directory, Dialect dialect, String description,
      MeterRegistry meters) {
    this.pool = pool;
    this.directory = directory;
    this.dialect = dialect;
    this.description = description;
    this.journal = new GroupCommitJournal(this, meters);
    this.purges = io.micrometer.core.instrument.Timer.builder("jwo.storage.purge")
        .description("time to remove deleted keyed rows' bytes from the database's files")
        .tag("storage", dialect == Dialect.H2 ? "embedded" : "postgresql").register(meters);
  }

  /** Opens, migrates and checks the storage; see {@code DurableStorage.open}. */
  public static JdbcStoreStorage open(StorageSettings settings, StoreId store, MeterRegistry meters) {
    if (settings instanceof StorageSettings.Embedded embedded) {
      return openEmbedded(embedded.dataDirectory(), store, meters);
    }
    return openPostgres((StorageSettings.Postgres) settings, store, meters);
  }

  private static JdbcStoreStorage openEmbedded(Path dataDirectory, StoreId store, MeterRegistry meters) {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    String location = "the data directory " + dir;
    Path file = dir.resolve(EMBEDDED_FILE);
    checkEmbeddedFiles(dir, file, location);
    if (!OPEN_DIRECTORIES.add(dir)) {
      throw new StorageStartupException(location + " is already open in this process; share that storage"
          + " instead of opening it twice", false, null);
    }
    try {
      return openEmbeddedPool(dir, file, location, store, meters);
    } catch (RuntimeException e) {
      OPEN_DIRECTORIES.remove(dir);
      throw e;
    }
  }

  private static JdbcStoreStorage openEmbeddedPool(Path dir, Path file, String location, StoreId store,
      MeterRegistry meters) {
    HikariConfig config = new HikariConfig();
    // WRITE_DELAY=0: every commit is written to the file before it returns, so an acknowledged append survives
    // the process being killed. DB_CLOSE_ON_EXIT=FALSE: the storage, not a shutdown hook, closes the database.
    config.setJdbcUrl("jdbc:h2:file:" + dir.resolve(EMBEDDED_NAME) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
        + (Files.exists(file) ? ";IFEXISTS=TRUE" : ""));
    config.setUsername("jwo");
    config.setPassword("");
    config.setMaximumPoolSize(4);
    config.setPoolName("jwo-storage-embedded");
    HikariDataSource pool = startPool(config, location, Dialect.H2);
    return prepare(pool, dir, Dialect.H2, "embedded database in " + dir, location, store, meters);
  }

  private static void checkEmbeddedFiles(Path dir, Path file, String location) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new StorageStartupException(location + " is not a directory", false, null);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageStartupException(location + " does not exist and cannot be created: " + e, false, e);
    }
    if (!Files.isReadable(dir) || !Files.isWritable(dir)) {
      throw new StorageStartupException(location + " cannot be read and written by this process", false, null);
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new StorageStartupException(location + ": " + EMBEDDED_FILE + " is not a regular file", false, null);
    }
    if (Files.exists(file) && (!Files.isReadable(file) || !Files.isWritable(file))) {
      throw new StorageStartupException(location + ": " + EMBEDDED_FILE
          + " cannot be read and written by this process", false, null);
    }
  }

  private static JdbcStoreStorage openPostgres(StorageSettings.Postgres settings, StoreId store,
      MeterRegistry meters) {
    String location = settings.describe();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    config.setPoolName("jwo-storage-postgresql");
    config.setConnectionTimeout(10_000);
    // One round trip for a group commit's inserts.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    HikariDataSource pool = startPool(config, location, Dialect.POSTGRESQL);
    return prepare(pool, null, Dialect.POSTGRESQL, settings.describe(), location, store, meters);
  }

  private static HikariDataSource startPool(HikariConfig config, String location, Dialect dialect) {
    config.setInitializationFailTimeout(1);
    config.setAutoCommit(true);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      SQLException sql = findSqlException(e);
      if (sql == null) {
        throw new StorageStartupException(location + " cannot be opened: " + e.getMessage(), false, e);
      }
      throw dialect == Dialect.H2 ? embeddedOpenFailure(location, sql) : postgresOpenFailure(location, sql);
    }
  }

  private static JdbcStoreStorage prepare(HikariDataSource pool, @Nullable Path directory, Dialect dialect,
      String description, String location, StoreId store, MeterRegistry meters) {
    try {
      String version = StoreSchema.prepare(pool, dialect, location, store);
      JdbcStoreStorage storage = new JdbcStoreStorage(pool, directory, dialect, description, meters);
      log.info("Storage: {} (store {}, schema version {})", description, store.value(), version);
      return storage;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static StorageStartupException embeddedOpenFailure(String location, SQLException e) {
    String what = switch (e.getErrorCode()) {
      case ErrorCode.FILE_CORRUPTED_1 -> EMBEDDED_FILE + " is corrupt or not a database file";
      case ErrorCode.FILE_VERSION_ERROR_1 -> EMBEDDED_FILE + " was written in a file format this release cannot"
          + " read";
      case ErrorCode.FILE_ENCRYPTION_ERROR_1 -> EMBEDDED_FILE + " is encrypted: not a jwo store";
      case ErrorCode.WRONG_USER_OR_PASSWORD -> EMBEDDED_FILE + " is a database of another program (it does not"
          + " accept the jwo store's user)";
      case ErrorCode.DATABASE_ALREADY_OPEN_1 -> "the database is in use by another process (is another jwo server"
          + " running on this directory?)";
      case ErrorCode.IO_EXCEPTION_1, ErrorCode.IO_EXCEPTION_2 -> EMBEDDED_FILE + " cannot be read";
      default -> "the embedded database cannot be opened";
    };
    boolean retriable = e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1;
    return new StorageStartupException(location + ": " + what + " (" + firstLine(e.getMessage()) + ")."
        + " Nothing was changed; move the file away or point the storage at another directory", retriable, e);
  }

  private static StorageStartupException postgresOpenFailure(String location, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String what;
    if (state.startsWith("08")) {
      what = "is not reachable";
    } else if (state.equals("28P01") || state.equals("28000")) {
      what = "refused the user name or password";
    } else if (state.equals("3D000")) {
      what = "has no such database";
    } else {
      what = "cannot be opened";
    }
    return new StorageStartupException(location + " " + what + ": " + firstLine(e.getMessage()),
        SqlFailures.isRetriable(e), e);
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "no detail";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static @Nullable SQLException findSqlException(Throwable e) {
    for (@Nullable Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  @Override
  public EventJournal journal() {
    return journal;
  }

  @Override
  public KeyedTable table(String name) {
    StorageNames.requireTable(name);
    checkOpen();
    return tables.computeIfAbsent(name, n -> new JdbcKeyedTable(this, n));
  }

  @Override
  public String describe() {
    return description;
  }

  /**
   * On PostgreSQL, rewrites table {@code keyed_rows} with its live rows only ({@code VACUUM FULL}): a deleted or
   * replaced row's bytes otherwise stay in the table's pages (a plain {@code VACUUM} marks the space free without
   * clearing it) until new rows happen to overwrite them. It holds an exclusive lock on the table while it runs, so
   * keyed reads and writes wait; it waits at most {@value #PURGE_LOCK_TIMEOUT} for the lock and then fails,
   * retriable. The journal's table is left alone: its deleted records hold no key material, and rewriting it would
   * stop appends for as long as the whole input takes to copy. The embedded database's file is rewritten as it
   * closes (below), so here it does nothing.
   */
  @Override
  public String purgeDeleted() {
    if (dialect != Dialect.POSTGRESQL) {
      return "";
    }
    long started = System.nanoTime();
    try (Connection c = connection(); java.sql.Statement sql = c.createStatement()) {
      sql.execute("SET lock_timeout = '" + PURGE_LOCK_TIMEOUT + "'");
      try {
        sql.execute("VACUUM FULL keyed_rows");
      } finally {
        sql.execute("RESET lock_timeout");
      }
    } catch (SQLException e) {
      throw failure("rewriting table keyed_rows without its deleted rows (VACUUM FULL)", e);
    }
    long nanos = System.nanoTime() - started;
    purges.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    log.info("Deleted keyed rows removed from the database's pages (VACUUM FULL keyed_rows) in {} ms",
        nanos / 1_000_000);
    return "PostgreSQL table keyed_rows rewritten with its live rows only (VACUUM FULL)";
  }

  /** How long a purge waits for its lock on {@code keyed_rows}. */
  static final String PURGE_LOCK_TIMEOUT = "30s";

  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    try {
      journal.shutDown();
    } finally {
      closed = true;
      pool.close();
      if (directory != null) {
        compactFile(directory.resolve(EMBEDDED_FILE));
        OPEN_DIRECTORIES.remove(directory);
      }
      log.info("Storage closed: {}", description);
    }
  }

  /**
   * Rewrites the embedded database's file, closed, with only its live rows (uncompressed, as it was written), so
   * that records deleted (a person's deletion request, retention) no longer rest in the file's unused space. H2
   * writes the new file beside it and moves it into place. A failure is logged and the file stays as it is: the
   * records are gone from the tables either way.
   */
  private void compactFile(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    long started = System.nanoTime();
    try {
      org.h2.mvstore.MVStoreTool.compact(file.toString(), false);
      log.info("Embedded database file rewritten without deleted records in {} ms",
          (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      log.warn("Embedded database file not rewritten as it closed ({}): records deleted since it was last"
          + " compacted may remain in unused parts of it until the next close", e.getMessage());
    }
  }

  Dialect dialect() {
    return dialect;
  }

  boolean isClosed() {
    return closed;
  }

  void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  StorageException closedException() {
    return new StorageException("storage (" + description + ") is closed", false);
  }

  /** A pooled connection; fails if the storage is closed or no connection can be had. */
  /** The lock that writers of {@code key} in {@code table} take in this process. */
  Object rowLock(String table, String key) {
    return rowLocks[Math.floorMod(31 * table.hashCode() + key.hashCode(), rowLocks.length)];
  }

  Connection connection() {
    checkOpen();
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      if (closed) {
        throw closedException();
      }
      throw failure("getting a connection", e);
    }
  }

  /** A storage exception for a failed operation that was not applied. */
  StorageException failure(String doing, SQLException e) {
    if (closed) {
      return closedException();
    }
    return new StorageException(description + ": " + doing + " failed: " + SqlFailures.describe(e),
        SqlFailures.isRetriable(e), e);
  }
}
