package dev.jwo.storage;

import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.PaymentCredentialRetentionKit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No raw credential rests in any PostgreSQL row once the payment records' retention is over. */
class PostgresPaymentCredentialRetentionTest extends PaymentCredentialRetentionKit {
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
