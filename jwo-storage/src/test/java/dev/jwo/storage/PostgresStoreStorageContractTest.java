package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.storage.DurableStoreStorageContractKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The kit against the real PostgreSQL server: each test in a new schema of this class's own database. */
class PostgresStoreStorageContractTest extends DurableStoreStorageContractKit {
  private static final StoreId STORE = StoreId.of("kit-store");
  private static PostgresTestDatabase database;

  private StorageSettings settings;

  @BeforeAll
  static void createDatabase() {
    database = PostgresTestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Override
  protected StoreStorage newStorage() {
    settings = database.newSchema();
    return DurableStorage.open(settings, STORE);
  }

  @Override
  protected StoreStorage reopen(StoreStorage closed) {
    return DurableStorage.open(settings, STORE);
  }
}
