package dev.jwo.testing.keys;

import dev.jwo.compliance.audit.AuditCheckpoints;
import dev.jwo.compliance.audit.FileAuditCheckpoints;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileAuditCheckpointsTest extends AuditCheckpointsKit {
  @TempDir Path dir;

  @Override
  protected AuditCheckpoints open() {
    return FileAuditCheckpoints.in(dir.resolve("checkpoints"), "kit-001");
  }
}
