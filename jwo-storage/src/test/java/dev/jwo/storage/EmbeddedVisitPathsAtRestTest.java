package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.testing.compliance.VisitPathsAtRestKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The path a visit walked is kept, shown and deleted on schedule and on request, in the embedded files. */
class EmbeddedVisitPathsAtRestTest extends VisitPathsAtRestKit {
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
