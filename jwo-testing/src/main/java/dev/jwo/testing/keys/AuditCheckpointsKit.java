package dev.jwo.testing.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditCheckpoint;
import dev.jwo.compliance.audit.AuditCheckpoints;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.keys.AuditKey;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AuditCheckpoints}, for any place checkpoints are kept (a file, the back office, a
 * timestamping service): the latest checkpoint is the last appended, it survives a restart, and a chain cut in the
 * database shows against it. Extend it and say how to reach the checkpoints:
 *
 * <pre>{@code
 * class BackOfficeCheckpointsTest extends AuditCheckpointsKit {
 *   protected AuditCheckpoints open() { return new BackOfficeCheckpoints(client, "store-7"); }  // the same each time
 * }
 * }</pre>
 */
public abstract class AuditCheckpointsKit {
  protected static final long T = 1_764_410_400_000L;
  private static final AuditKey KEY = AuditKey.random();

  /** Opens the checkpoints under test; called again to simulate a restart, it must reach the same ones. */
  protected abstract AuditCheckpoints open();

  @Test
  void theLatestIsTheLastAppendedAndSurvivesARestart() {
    AuditCheckpoints checkpoints = open();
    checkpoints.append(AuditCheckpoint.of(16, "a".repeat(64), T, KEY));
    checkpoints.append(AuditCheckpoint.of(32, "b".repeat(64), T + 1, KEY));

    assertThat(checkpoints.latest()).hasValueSatisfying(c -> {
      assertThat(c.count()).isEqualTo(32);
      assertThat(c.headHash()).isEqualTo("b".repeat(64));
      assertThat(c.madeWith(KEY)).isTrue();
    });
    assertThat(open().latest()).contains(checkpoints.latest().orElseThrow());
    assertThat(checkpoints.describe()).isNotBlank();
  }

  @Test
  void aChainCutInTheDatabaseShowsAgainstTheCheckpoints() {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    SubjectKey subjects = SubjectKey.random();
    AuditChain chain = new AuditChain(storage, new Subjects(storage, subjects), KEY, open());
    for (int i = 0; i < AuditChain.CHECKPOINT_EVERY + 3; i++) {
      chain.append(AuditType.CONSENT_RECORDED, T + i, "subj:" + i, Map.of());
    }
    InMemoryStoreStorage cut = new InMemoryStoreStorage();
    storage.journal().read(AuditChain.STREAM, 0, 3).forEach(e -> cut.journal().append(
        dev.jwo.core.storage.StreamAppend.of(AuditChain.STREAM, e.position(), e.record())));

    assertThat(new AuditChain(storage, new Subjects(storage, subjects), KEY, open()).verify().valid()).isTrue();
    assertThat(new AuditChain(cut, new Subjects(cut, subjects), KEY, open()).verify().valid()).isFalse();
  }
}
