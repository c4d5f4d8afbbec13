package dev.jwo.storage;

import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.DestroyedKeysAtRestKit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A destroyed key rests in no PostgreSQL page once its destruction is due, deleted rows' space included. */
class PostgresDestroyedKeysAtRestTest extends DestroyedKeysAtRestKit {
  @RegisterExtension static final PostgresKitStores STORES = new PostgresKitStores();

  private final Supplier<StoreStorage> store = STORES.newStore();

  @Override
  protected StoreStorage open() {
    return store.get();
  }

  @Override
  protected byte[] everyPage() throws Exception {
    return STORES.everyPage();
  }
}
