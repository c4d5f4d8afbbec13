package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.CompanionDeletionKit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A companion's deletion request leaves nothing of theirs in any PostgreSQL row. */
class PostgresCompanionDeletionTest extends CompanionDeletionKit {
  private static PostgresTestDatabase database;

  private @Nullable StorageSettings settings;

  @BeforeAll
  static void createDatabase() {
    database = PostgresTestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Override
  protected StoreStorage open() {
    if (settings == null) {
      settings = database.newSchema();
    }
    return DurableStorage.open(settings, StoreId.of("kit-store"));
  }

  @Override
  protected byte[] atRest() throws Exception {
    return database.everyRow();
  }
}
