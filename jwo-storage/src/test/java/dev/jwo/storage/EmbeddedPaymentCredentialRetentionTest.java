package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.PaymentCredentialRetentionKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** No raw credential rests in the embedded database's files once the payment records' retention is over. */
class EmbeddedPaymentCredentialRetentionTest extends PaymentCredentialRetentionKit {
  @TempDir Path dataDir;

  @Override
  protected StoreStorage open() {
    return DurableStorage.open(StorageSettings.embedded(dataDir), StoreId.of("kit-store"));
  }

  @Override
  protected byte[] atRest() throws Exception {
    return DataFiles.read(dataDir);
  }
}
