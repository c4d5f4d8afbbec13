package dev.jwo.testing.storage;

import dev.jwo.core.storage.StoreStorage;

class FakeStoreStorageContractTest extends DurableStoreStorageContractKit {
  @Override
  protected StoreStorage newStorage() {
    return new FakeStoreStorage();
  }

  @Override
  protected StoreStorage reopen(StoreStorage closed) {
    return ((FakeStoreStorage) closed).reopen();
  }
}
