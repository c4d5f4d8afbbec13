package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.ComplianceStorageKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Consents, the audit chain and the retention schedule survive a restart of the embedded store. */
class EmbeddedComplianceStorageTest extends ComplianceStorageKit {
  @TempDir Path dataDir;

  @Override
  protected StoreStorage open() {
    return DurableStorage.open(StorageSettings.embedded(dataDir), StoreId.of("kit-store"));
  }
}
