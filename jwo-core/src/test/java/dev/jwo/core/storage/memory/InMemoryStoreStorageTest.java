package dev.jwo.core.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.VersionConflictException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke tests; the storage contract kit in jwo-testing checks the whole contract. */
class InMemoryStoreStorageTest {
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();

  @Test
  void appendsAtExpectedPositionsAndReadsBackInOrder() {
    EventJournal journal = storage.journal();

    assertThat(journal.append(StreamAppend.of("cart/v-1", 0, record("a"), record("b")))).isZero();
    assertThat(journal.append(StreamAppend.atEnd("cart/v-1", record("c")))).isEqualTo(2);
    assertThatThrownBy(() -> journal.append(StreamAppend.of("cart/v-1", 1, record("x"))))
        .isInstanceOfSatisfying(JournalConflictException.class, e -> {
          assertThat(e.expectedPosition()).isEqualTo(1);
          assertThat(e.actualPosition()).isEqualTo(3);
          assertThat(e.isRetriable()).isFalse();
        });

    assertThat(journal.read("cart/v-1", 1, 10)).extracting(JournalEntry::position, JournalEntry::record)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, record("b")),
            org.assertj.core.groups.Tuple.tuple(2L, record("c")));
    assertThat(journal.read("cart/v-1", 0, 1)).hasSize(1);
    assertThat(journal.endPosition("cart/v-1")).isEqualTo(3);
    assertThat(journal.endPosition("cart/none")).isZero();
  }

  @Test
  void aBatchWithOneConflictAppendsNothing() {
    EventJournal journal = storage.journal();
    journal.append(StreamAppend.atEnd("b", record("1")));

    assertThatThrownBy(() -> journal.appendAll(List.of(
            StreamAppend.of("a", 0, record("a0")), StreamAppend.of("b", 0, record("b0")))))
        .isInstanceOf(JournalConflictException.class);

    assertThat(journal.endPosition("a")).isZero();
    assertThat(journal.streams("")).containsExactly("b");
  }

  @Test
  void listsStreamsByPrefixInNameOrder() {
    EventJournal journal = storage.journal();
    for (String stream : List.of("cart/v-2", "audit", "cart/v-1", "carts")) {
      journal.append(StreamAppend.atEnd(stream, record(stream)));
    }

    assertThat(journal.streams("cart/")).containsExactly("cart/v-1", "cart/v-2");
  }

  @Test
  void keyedRowsAreVersionedAndComparedOnWrite() {
    KeyedTable table = storage.table("receipts");

    assertThat(table.put("v-1", bytes("one"), KeyedTable.ABSENT)).isEqualTo(1);
    assertThatThrownBy(() -> table.put("v-1", bytes("again"), KeyedTable.ABSENT))
        .isInstanceOf(VersionConflictException.class);
    assertThat(table.put("v-1", bytes("two"), 1)).isEqualTo(2);
    assertThat(table.put("v-1", bytes("three"), KeyedTable.ANY_VERSION)).isEqualTo(3);
    assertThat(table.get("v-1")).hasValueSatisfying(v -> {
      assertThat(v.version()).isEqualTo(3);
      assertThat(new String(v.value(), StandardCharsets.UTF_8)).isEqualTo("three");
    });
    table.put("v-0", bytes("zero"), KeyedTable.ABSENT);
    table.put("w-1", bytes("other"), KeyedTable.ABSENT);
    assertThat(table.scan("v-")).extracting(KeyedValue::key).containsExactly("v-0", "v-1");
    assertThat(table.delete("v-1")).isTrue();
    assertThat(table.delete("v-1")).isFalse();
    assertThat(table.get("v-1")).isEmpty();
    assertThat(storage.table("receipts")).isSameAs(table);
  }

  @Test
  void refusesTableNamesOutsideTheContract() {
    assertThatThrownBy(() -> storage.table("Receipts")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.table("receipts; drop")).isInstanceOf(IllegalArgumentException.class);
  }

  private static JournalRecord record(String text) {
    return new JournalRecord("test", bytes(text));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
