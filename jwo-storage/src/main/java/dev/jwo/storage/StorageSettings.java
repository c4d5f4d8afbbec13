package dev.jwo.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a store keeps its durable data: {@link #embedded(Path) an embedded database in a data directory} (the
 * default; nothing to install) or {@link #postgres PostgreSQL} (for production). Printing settings never shows a
 * password.
 */
public sealed interface StorageSettings permits StorageSettings.Embedded, StorageSettings.Postgres {

  /** The embedded database in {@code dataDirectory}, created there if the directory is new or empty of it. */
  static Embedded embedded(Path dataDirectory) {
    return new Embedded(dataDirectory);
  }

  /**
   * PostgreSQL at {@code jdbcUrl} (e.g. {@code jdbc:postgresql://db.example:5432/store_42}); the schema is created
   * or migrated at start-up in the URL's current schema.
   *
   * @param password may be empty (trust or certificate authentication)
   * @param poolSize the most connections to hold open, at least 2 (one of them commits appends)
   */
  static Postgres postgres(String jdbcUrl, String user, String password, int poolSize) {
    return new Postgres(jdbcUrl, user, password, poolSize);
  }

  /** A short description for logs; never includes a password. */
  String describe();

  /**
   * The embedded database. The store owns the file {@code jwo-store.mv.db} (and its temporary siblings
   * {@code jwo-store.*}) in the data directory; other files there are left alone.
   */
  record Embedded(Path dataDirectory) implements StorageSettings {
    public Embedded {
      Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    @Override
    public String describe() {
      return "embedded database in " + dataDirectory;
    }
  }

  /** PostgreSQL, pooled. */
  record Postgres(String jdbcUrl, String user, String password, int poolSize) implements StorageSettings {
    public Postgres {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql:, got "
            + withoutQuery(jdbcUrl));
      }
      if (poolSize < 2 || poolSize > 200) {
        throw new IllegalArgumentException("pool size must be from 2 to 200, got " + poolSize);
      }
    }

    @Override
    public String describe() {
      return "PostgreSQL at " + withoutQuery(jdbcUrl) + " as " + user;
    }

    @Override
    public String toString() {
      return "Postgres[jdbcUrl=" + withoutQuery(jdbcUrl) + ", user=" + user + ", password=" + (password.isEmpty()
          ? "(none)" : "(hidden)") + ", poolSize=" + poolSize + "]";
    }

    /** The URL without its query, which may carry a password. */
    private static String withoutQuery(String url) {
      int query = url.indexOf('?');
      return query < 0 ? url : url.substring(0, query) + "?...";
    }
  }
}
