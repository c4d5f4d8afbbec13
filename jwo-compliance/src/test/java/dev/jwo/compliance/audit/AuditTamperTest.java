package dev.jwo.compliance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.keys.AuditKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Someone who can write the database cannot rewrite or cut the audit chain without it showing. */
class AuditTamperTest {
  static final long T = 1_764_410_400_000L;
  static final AuditKey KEY = ComplianceFixture.SUBJECT_KEY.deriveAuditKey();

  @TempDir Path dir;
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private AuditCheckpoints checkpoints;
  private AuditChain chain;

  @BeforeEach
  void fortyRecords() {
    checkpoints = FileAuditCheckpoints.in(dir, "tamper-001");
    chain = chain(storage);
    for (int i = 0; i < 40; i++) {
      chain.append(AuditType.CONSENT_RECORDED, T + i, "subj:" + i, Map.of("visit", "v-" + i));
    }
  }

  private AuditChain chain(InMemoryStoreStorage on) {
    return new AuditChain(on, new Subjects(on, ComplianceFixture.SUBJECT_KEY), KEY, checkpoints);
  }

  private List<JournalEntry> stored() {
    return storage.journal().read(AuditChain.STREAM, 0, 1_000);
  }

  @Test
  void theChainWritesCheckpointsOutsideTheDatabaseAndVerifiesAgainstThem() {
    assertThat(checkpoints.latest()).hasValueSatisfying(c -> {
      assertThat(c.count()).isEqualTo(32);
      assertThat(c.headHash()).isEqualTo(chain.records().get(31).hash());
    });
    assertThat(chain.checkpoint()).hasValueSatisfying(c -> assertThat(c.count()).isEqualTo(40));
    assertThat(chain.checkpoint()).as("nothing new to cover").isEmpty();
    assertThat(FileAuditCheckpoints.in(dir, "tamper-001").latest().orElseThrow().count()).isEqualTo(40);
    assertThat(chain.verify().valid()).isTrue();
  }

  @Test
  void aFullRewriteWithRecomputedUnkeyedHashesIsDetected() {
    // The forger changes one record and recomputes every hash after it, with SHA-256 as an unkeyed chain would.
    InMemoryStoreStorage rewritten = new InMemoryStoreStorage();
    String previous = AuditChain.GENESIS;
    long seq = 0;
    for (JournalEntry entry : stored()) {
      String text = new String(entry.record().payload(), StandardCharsets.UTF_8);
      ObjectNode body = (ObjectNode) Canonical.read(text.substring(0, text.lastIndexOf('\n'))
          .getBytes(StandardCharsets.UTF_8));
      body.put("prev", previous);
      if (seq == 5) {
        body.put("subject", "subj:someone-else");
      }
      byte[] bytes = Canonical.json(body);
      String hash = Canonical.sha256Hex(bytes);
      rewritten.journal().append(StreamAppend.of(AuditChain.STREAM, seq, new JournalRecord("audit",
          (new String(bytes, StandardCharsets.UTF_8) + "\n" + hash).getBytes(StandardCharsets.UTF_8))));
      previous = hash;
      seq++;
    }
    rewritten.table(AuditChain.HEAD_TABLE).put("head", (seq + ":" + previous).getBytes(StandardCharsets.UTF_8),
        KeyedTable.ANY_VERSION);

    AuditVerification v = chain(rewritten).verify();

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isZero();
    assertThat(v.problem()).contains("keyed hash");
    // Even a rewrite with the right algorithm but a guessed key fails, and the checkpoint disagrees too.
    assertThat(AuditChain.verify(rewritten.journal().read(AuditChain.STREAM, 0, 1_000), Optional.empty(),
        AuditKey.random(), Optional.empty()).valid()).isFalse();
  }

  @Test
  void aTruncationWithTheHeadDeletedIsDetectedAgainstTheCheckpoint() {
    List<JournalEntry> kept = stored().subList(0, 20);
    InMemoryStoreStorage truncated = new InMemoryStoreStorage();
    for (JournalEntry entry : kept) {
      truncated.journal().append(StreamAppend.of(AuditChain.STREAM, entry.position(), entry.record()));
    }
    // No head row: the forger deleted it too.

    AuditVerification v = chain(truncated).verify();

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(20);
    assertThat(v.problem()).contains("checkpoint").contains("saw 32").contains("removed");
    assertThat(AuditChain.verify(kept, Optional.empty(), KEY, Optional.empty()).valid())
        .as("without the checkpoint it could not tell").isTrue();
  }

  @Test
  void aCheckpointNotMadeWithTheStoresKeyIsRefused() {
    checkpoints.append(AuditCheckpoint.of(40, chain.headHash(), T + 99, AuditKey.random()));

    AuditVerification v = chain.verify();

    assertThat(v.valid()).isFalse();
    assertThat(v.problem()).contains("not made with this store's audit key");
  }

  @Test
  void aCheckpointLineCutShortByACrashIsSkipped() throws Exception {
    Path file = dir.resolve("audit-checkpoints-tamper-001.jsonl");
    Files.writeString(file, "{\"count\":4", java.nio.file.StandardOpenOption.APPEND);

    assertThat(FileAuditCheckpoints.in(dir, "tamper-001").latest()).hasValueSatisfying(
        c -> assertThat(c.count()).isEqualTo(32));
    // The next checkpoint starts a line of its own.
    assertThat(chain.checkpoint()).isPresent();
    assertThat(FileAuditCheckpoints.in(dir, "tamper-001").latest()).hasValueSatisfying(
        c -> assertThat(c.count()).isEqualTo(40));
    assertThat(chain.verify().valid()).isTrue();
  }
}
