package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL side of a kit that proves what rests in storage: a database of its own for the test class, a
 * schema of its own for each store the kit opens, and for the kit to scan the bytes of every row and of every raw
 * page (where deleted rows rest until the database reclaims their space).
 */
final class PostgresKitStores implements BeforeAllCallback, AfterAllCallback {
  private @Nullable PostgresTestDatabase database;

  @Override
  public void beforeAll(ExtensionContext context) {
    database = PostgresTestDatabase.create();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (database != null) {
      database.close();
    }
  }

  /** A store of its own (a new schema on first use), opened again, on the same schema, at every call. */
  Supplier<StoreStorage> newStore() {
    return new Supplier<>() {
      private @Nullable StorageSettings settings;

      @Override
      public StoreStorage get() {
        if (settings == null) {
          settings = database().newSchema();
        }
        return DurableStorage.open(settings, StoreId.of("kit-store"));
      }
    };
  }

  /** The bytes of every row of the database, whatever its table. */
  byte[] everyRow() throws Exception {
    return database().everyRow();
  }

  /** Every raw page of every table and index of the database: live rows and deleted rows' bytes not reclaimed. */
  byte[] everyPage() throws Exception {
    return database().everyPage();
  }

  private PostgresTestDatabase database() {
    if (database == null) {
      throw new IllegalStateException("the test class has not started: register this as a static extension");
    }
    return database;
  }
}
