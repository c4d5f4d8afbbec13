package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.ComplianceStorageKit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Consents, the audit chain and the retention schedule survive a restart on PostgreSQL. */
class PostgresComplianceStorageTest extends ComplianceStorageKit {
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
}
