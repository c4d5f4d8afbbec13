package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.DestroyedKeysAtRestKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A destroyed key rests nowhere in the embedded database's files once its destruction is due. */
class EmbeddedDestroyedKeysAtRestTest extends DestroyedKeysAtRestKit {
  @TempDir Path dataDir;

  @Override
  protected StoreStorage open() {
    return DurableStorage.open(StorageSettings.embedded(dataDir), StoreId.of("kit-store"));
  }

  @Override
  protected byte[] everyPage() throws Exception {
    return DataFiles.read(dataDir);
  }
}
