package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.CompanionDeletionKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A companion's deletion request leaves nothing of theirs in the embedded database's files. */
class EmbeddedCompanionDeletionTest extends CompanionDeletionKit {
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
