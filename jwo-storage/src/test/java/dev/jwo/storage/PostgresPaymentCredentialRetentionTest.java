package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.PaymentCredentialRetentionKit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** No raw credential rests in any PostgreSQL row once the payment records' retention is over. */
class PostgresPaymentCredentialRetentionTest extends PaymentCredentialRetentionKit {
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
