package dev.jwo.storage;

import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.VisitPathsAtRestKit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The path a visit walked is kept, shown and deleted on schedule and on request, in every PostgreSQL row. */
class PostgresVisitPathsAtRestTest extends VisitPathsAtRestKit {
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
}
