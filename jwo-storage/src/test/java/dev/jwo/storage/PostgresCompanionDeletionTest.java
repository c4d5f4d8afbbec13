package dev.jwo.storage;

import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.CompanionDeletionKit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A companion's deletion request leaves nothing of theirs in any PostgreSQL row, nor their shredded key in any page. */
class PostgresCompanionDeletionTest extends CompanionDeletionKit {
  @RegisterExtension static final PostgresKitStores STORES = new PostgresKitStores();

  private final Supplier<StoreStorage> store = STORES.newStore();

  @Override
  protected StoreStorage open() {
    return store.get();
  }

  @Override
  protected byte[] atRest() throws Exception {
    return STORES.everyRow();
  }

  @Override
  protected byte[] everyPage() throws Exception {
    return STORES.everyPage();
  }
}
