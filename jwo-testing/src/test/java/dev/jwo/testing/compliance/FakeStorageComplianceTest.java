package dev.jwo.testing.compliance;

import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.storage.FakeStoreStorage;

/** Compliance state across restarts of the fake storage ({@link FakeStoreStorage#reopen()} after each close). */
class FakeStorageComplianceTest extends ComplianceStorageKit {
  private FakeStoreStorage storage = new FakeStoreStorage();
  private boolean opened;

  @Override
  protected StoreStorage open() {
    if (opened) {
      storage = storage.reopen();
    }
    opened = true;
    return storage;
  }
}
