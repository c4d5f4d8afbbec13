package dev.jwo.testing.keys;

import dev.jwo.compliance.audit.AuditCheckpoints;

class InMemoryAuditCheckpointsTest extends AuditCheckpointsKit {
  private final AuditCheckpoints checkpoints = AuditCheckpoints.inMemory();

  @Override
  protected AuditCheckpoints open() {
    return checkpoints;
  }
}
