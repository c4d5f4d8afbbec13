package dev.jwo.compliance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** R11: a tamper-evident audit chain whose verifier says where it was changed. */
class AuditChainTest {
  static final long T = 1_764_410_400_000L;

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final AuditChain chain = dev.jwo.compliance.ComplianceFixture.auditChain(storage);

  @BeforeEach
  void sixRecords() {
    for (int i = 0; i < 6; i++) {
      chain.append(i % 2 == 0 ? AuditType.CAPTURE : AuditType.DESTRUCTION, T + i, "cred:0000000000" + i,
          Map.of("visit", "v-" + i, "rule", "740 ILCS 14/15(a)"));
    }
  }

  private List<JournalEntry> stored() {
    return storage.journal().read(AuditChain.STREAM, 0, 100);
  }

  @Test
  void anIntactChainVerifiesAndSurvivesARestart() {
    AuditVerification v = chain.verify();
    assertThat(v.valid()).isTrue();
    assertThat(v.recordsChecked()).isEqualTo(6);
    assertThat(v.headHash()).isEqualTo(chain.headHash()).hasSize(64);

    AuditChain reopened = dev.jwo.compliance.ComplianceFixture.auditChain(storage);
    assertThat(reopened.records()).isEqualTo(chain.records());
    AuditRecord next = reopened.append(AuditType.CONSENT_RECORDED, T + 10, "cred:x", Map.of());
    assertThat(next.seq()).isEqualTo(6);
    assertThat(next.previousHash()).isEqualTo(chain.records().get(5).hash());
    assertThat(reopened.verify().valid()).isTrue();
  }

  @Test
  void aFactReportedAgainAfterARestartIsRecordedOnce() {
    AuditChain restarted = dev.jwo.compliance.ComplianceFixture.auditChain(storage);

    AuditRecord again = restarted.append(AuditType.CAPTURE, T + 2, "cred:00000000002",
        Map.of("visit", "v-2", "rule", "740 ILCS 14/15(a)"));
    AuditRecord sameTimeOtherVisit = restarted.append(AuditType.CAPTURE, T + 2, "cred:00000000002",
        Map.of("visit", "v-9", "rule", "740 ILCS 14/15(a)"));

    assertThat(again).isEqualTo(chain.records().get(2));
    assertThat(sameTimeOtherVisit.seq()).isEqualTo(6);
    assertThat(restarted.size()).isEqualTo(7);
    assertThat(restarted.verify().valid()).isTrue();
  }

  @Test
  void editingOneByteOfAStoredRecordFailsVerificationAtThatRecord() {
    List<JournalEntry> entries = new ArrayList<>(stored());
    byte[] payload = entries.get(3).record().payload();
    int at = new String(payload, java.nio.charset.StandardCharsets.UTF_8).indexOf("v-3") + 2;
    payload[at] = (byte) '9';
    entries.set(3, new JournalEntry(AuditChain.STREAM, 3, new JournalRecord("audit", payload)));

    AuditVerification v = chain.verify(entries, chain.head());

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(3);
    assertThat(v.problem()).contains("changed");
    assertThat(v.problem()).contains("keyed hash");
    assertThat(v.headHash()).isEqualTo(chain.records().get(2).hash());
  }

  @Test
  void aRemovedRecordIsFoundWhereItWas() {
    List<JournalEntry> entries = renumbered(stored(), List.of(0, 1, 3, 4, 5));

    AuditVerification v = chain.verify(entries, chain.head());

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(2);
    assertThat(v.problem()).contains("removed");
  }

  @Test
  void aReorderedPairIsFoundAtTheFirstOfThem() {
    AuditVerification v = chain.verify(renumbered(stored(), List.of(0, 1, 2, 4, 3, 5)), chain.head());

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(3);
  }

  @Test
  void anInsertedRecordIsFoundWhereItWasInserted() {
    AuditChain forged = dev.jwo.compliance.ComplianceFixture.auditChain(new InMemoryStoreStorage());
    AuditRecord fake = forged.append(AuditType.CONSENT_RECORDED, T, "cred:forged", Map.of());
    List<JournalEntry> entries = new ArrayList<>(stored());
    JournalEntry forgedEntry = new InMemoryStoreStorageReader(forged).first();
    entries.add(4, forgedEntry);

    AuditVerification v = chain.verify(renumbered(entries, List.of(0, 1, 2, 3, 4, 5, 6)), chain.head());

    assertThat(fake.seq()).isZero();
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(4);
  }

  @Test
  void recordsRemovedFromTheEndAreFoundThroughTheRecordedHead() {
    List<JournalEntry> truncated = stored().subList(0, 4);

    AuditVerification v = chain.verify(truncated, chain.head());

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(4);
    assertThat(chain.verify(truncated, Optional.empty()).valid()).as("without a head it cannot tell").isTrue();
  }

  /** The entries at {@code order}, given consecutive positions as a journal would return them. */
  private static List<JournalEntry> renumbered(List<JournalEntry> entries, List<Integer> order) {
    List<JournalEntry> out = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      out.add(new JournalEntry(AuditChain.STREAM, i, entries.get(order.get(i)).record()));
    }
    return out;
  }

  /** Reads the first stored entry of another chain (its storage is private to it). */
  private static final class InMemoryStoreStorageReader {
    private final AuditChain chain;

    InMemoryStoreStorageReader(AuditChain chain) {
      this.chain = chain;
    }

    JournalEntry first() {
      AuditRecord r = chain.records().get(0);
      String body = "{\"details\":{},\"prev\":\"" + r.previousHash() + "\",\"seq\":0,\"subject\":\"" + r.subject()
          + "\",\"ts\":" + r.ts() + ",\"type\":\"" + r.type() + "\"}";
      return new JournalEntry(AuditChain.STREAM, 0,
          new JournalRecord("audit", (body + "\n" + r.hash()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
  }
}
