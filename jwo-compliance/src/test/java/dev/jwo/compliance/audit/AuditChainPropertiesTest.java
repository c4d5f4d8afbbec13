package dev.jwo.compliance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of the audit chain's verifier, for chains of any length and any one change. */
class AuditChainPropertiesTest {
  static final long T = 1_764_410_400_000L;

  private static List<JournalEntry> chainOf(int count, AuditChain chain, InMemoryStoreStorage storage) {
    AuditType[] types = AuditType.values();
    for (int i = 0; i < count; i++) {
      chain.append(types[i % types.length], T + i, "subj:" + (i * 7919 % 13), Map.of("n", Integer.toString(i)));
    }
    return storage.journal().read(AuditChain.STREAM, 0, 1_000);
  }

  @Property(tries = 60)
  void anIntactChainOfAnyLengthVerifies(@ForAll @IntRange(min = 0, max = 40) int count) {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    AuditChain chain = ComplianceFixture.auditChain(storage);
    chainOf(count, chain, storage);

    AuditVerification v = chain.verify();

    assertThat(v.valid()).isTrue();
    assertThat(v.recordsChecked()).isEqualTo(count);
  }

  @Property(tries = 200)
  void anyChangedByteIsFoundAtItsRecord(@ForAll @IntRange(min = 1, max = 30) int count,
      @ForAll @IntRange(min = 0, max = 1_000_000) int where, @ForAll @IntRange(min = 1, max = 255) int flip) {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    AuditChain chain = ComplianceFixture.auditChain(storage);
    List<JournalEntry> entries = new ArrayList<>(chainOf(count, chain, storage));
    int record = where % count;
    byte[] payload = entries.get(record).record().payload().clone();
    int at = (where / count) % payload.length;
    payload[at] = (byte) (payload[at] ^ flip);
    entries.set(record, new JournalEntry(AuditChain.STREAM, record, new JournalRecord("audit", payload)));

    AuditVerification v = chain.verify(entries, chain.head());

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(record);
  }

  @Property(tries = 100)
  void anyRemovedRecordIsFound(@ForAll @IntRange(min = 1, max = 30) int count,
      @ForAll @IntRange(min = 0, max = 1_000) int which) {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    AuditChain chain = ComplianceFixture.auditChain(storage);
    List<JournalEntry> entries = new ArrayList<>(chainOf(count, chain, storage));
    int removed = which % count;
    entries.remove(removed);
    List<JournalEntry> renumbered = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      renumbered.add(new JournalEntry(AuditChain.STREAM, i, entries.get(i).record()));
    }

    AuditVerification v = chain.verify(renumbered, chain.head());

    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadPosition()).isEqualTo(removed);
    if (removed == count - 1) {
      assertThat(chain.verify(renumbered, Optional.empty()).valid())
          .as("the last record alone goes unnoticed without the head, unless a checkpoint covers it")
          .isEqualTo(count % AuditChain.CHECKPOINT_EVERY != 0);
    }
  }
}
