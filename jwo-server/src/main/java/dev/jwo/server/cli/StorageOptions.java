package dev.jwo.server.cli;

import dev.jwo.storage.StorageSettings;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where a store keeps what must survive a crash: the embedded database in a data directory (the default), or
 * PostgreSQL when a JDBC URL is given. The database password is read from an environment variable, never from
 * the command line (where other users of the machine could see it).
 */
final class StorageOptions {
  static final String PASSWORD_VARIABLE = "JWO_DB_PASSWORD";

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
      description = "data directory of the embedded database (default ${DEFAULT-VALUE}); ignored with --jdbc-url")
  Path data = Path.of("data");

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "keep the store in PostgreSQL instead, e.g. jdbc:postgresql://db.example:5432/store_42; "
          + "the password comes from the environment variable " + PASSWORD_VARIABLE)
  @Nullable String jdbcUrl;

  @Option(names = "--db-user", paramLabel = "NAME", defaultValue = "jwo",
      description = "PostgreSQL user (default ${DEFAULT-VALUE})")
  String user = "jwo";

  @Option(names = "--db-pool-size", paramLabel = "N", defaultValue = "8",
      description = "most PostgreSQL connections to hold open (default ${DEFAULT-VALUE})")
  int poolSize = 8;

  /** The chosen storage. */
  StorageSettings settings() {
    if (jdbcUrl == null) {
      return StorageSettings.embedded(data);
    }
    String password = System.getenv(PASSWORD_VARIABLE);
    return StorageSettings.postgres(jdbcUrl, user, password == null ? "" : password, poolSize);
  }
}
