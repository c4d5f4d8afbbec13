package dev.jwo.benchmarks;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.storage.DurableStorage;
import dev.jwo.storage.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A fresh storage for one benchmark trial, removed afterwards: {@code memory}, {@code embedded} (in a new temporary
 * directory) or {@code postgresql} (in a new database on the server named by the system properties
 * {@code jwo.bench.postgres.url}, default {@code jdbc:postgresql://127.0.0.1:5432/postgres}, and
 * {@code jwo.bench.postgres.user}, default {@code postgres}; password {@code jwo.bench.postgres.password}).
 */
final class BenchStorage implements AutoCloseable {
  private static final StoreId STORE = StoreId.of("bench-store");
  private static final String ADMIN_URL =
      System.getProperty("jwo.bench.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String USER = System.getProperty("jwo.bench.postgres.user", "postgres");
  private static final String PASSWORD = System.getProperty("jwo.bench.postgres.password", "");

  final StoreStorage storage;
  private final @Nullable Path directory;
  private final @Nullable String database;

  private BenchStorage(StoreStorage storage, @Nullable Path directory, @Nullable String database) {
    this.storage = storage;
    this.directory = directory;
    this.database = database;
  }

  static BenchStorage open(String kind) {
    return switch (kind) {
      case "memory" -> new BenchStorage(new InMemoryStoreStorage(), null, null);
      case "embedded" -> {
        try {
          Path dir = Files.createTempDirectory("jwo-bench");
          yield new BenchStorage(DurableStorage.open(StorageSettings.embedded(dir), STORE), dir, null);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case "postgresql" -> {
        String name = "jwo_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        String url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
        yield new BenchStorage(DurableStorage.open(StorageSettings.postgres(url, USER, PASSWORD, 8), STORE), null,
            name);
      }
      default -> throw new IllegalArgumentException("unknown storage " + kind
          + "; use memory, embedded or postgresql");
    };
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " on " + ADMIN_URL + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    storage.close();
    if (directory != null) {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (database != null) {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }
}
