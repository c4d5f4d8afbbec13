package dev.jwo.testing.compliance;

import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;

/** The in-memory storage keeps compliance state for as long as the instance lives ("restart" = new injector). */
class InMemoryComplianceStorageTest extends ComplianceStorageKit {
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();

  @Override
  protected StoreStorage open() {
    return storage;
  }
}
