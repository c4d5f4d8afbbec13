package dev.jwo.testing.storage;

import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;

class InMemoryStoreStorageContractTest extends StoreStorageContractKit {
  @Override
  protected StoreStorage newStorage() {
    return new InMemoryStoreStorage();
  }
}
