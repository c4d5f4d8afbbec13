package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.storage.DurableStoreStorageContractKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreStorageContractTest extends DurableStoreStorageContractKit {
  private static final StoreId STORE = StoreId.of("kit-store");

  @TempDir Path dataDir;

  @Override
  protected StoreStorage newStorage() {
    return DurableStorage.open(StorageSettings.embedded(dataDir), STORE);
  }

  @Override
  protected StoreStorage reopen(StoreStorage closed) {
    return DurableStorage.open(StorageSettings.embedded(dataDir), STORE);
  }
}
