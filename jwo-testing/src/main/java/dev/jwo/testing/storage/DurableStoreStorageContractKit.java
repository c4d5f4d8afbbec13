package dev.jwo.testing.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.storage.CommitOutcomeUnknownException;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.VersionedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreStorageContractKit} plus what storage that survives a restart must keep: everything acknowledged
 * before close is there after {@link #reopen}, positions and versions go on where they were, a repeated append is
 * recognised across the restart, and appends in flight at close are either committed or failed, never half done.
 */
public abstract class DurableStoreStorageContractKit extends StoreStorageContractKit {

  /**
   * Opens a new storage on the same data as {@code closed} (which the kit has closed), as a server restarting on
   * the same data directory or database would.
   */
  protected abstract StoreStorage reopen(StoreStorage closed);

  private void restart() {
    storage.close();
    storage = reopen(storage);
  }

  @Test
  void acknowledgedAppendsAndRowsSurviveARestart() {
    EventJournal journal = storage.journal();
    journal.append(StreamAppend.of("cart/v-1", 0, record("apple"), record("pear")));
    journal.appendAll(List.of(StreamAppend.atEnd("audit", record("a0")), StreamAppend.atEnd("input", record("i0"))));
    storage.table("payments").put("v-1", bytes("held"), KeyedTable.ABSENT);
    storage.table("payments").put("v-1", bytes("captured"), 1);
    storage.table("receipts").put("v-1", bytes("receipt"), KeyedTable.ABSENT);
    storage.table("person_keys").put("p-1", bytes("key"), KeyedTable.ABSENT);
    storage.table("person_keys").delete("p-1");

    restart();

    assertThat(texts("cart/v-1")).containsExactly("apple", "pear");
    assertThat(texts("audit")).containsExactly("a0");
    assertThat(texts("input")).containsExactly("i0");
    assertThat(storage.journal().streams("")).containsExactly("audit", "cart/v-1", "input");
    assertThat(storage.table("payments").get("v-1").orElseThrow())
        .isEqualTo(new VersionedValue(bytes("captured"), 2));
    assertThat(storage.table("receipts").get("v-1").orElseThrow().value()).isEqualTo(bytes("receipt"));
    assertThat(storage.table("person_keys").get("p-1")).as("a deleted row stays deleted").isEmpty();
  }

  @Test
  void discardedRecordsStayDiscardedAfterARestart() {
    storage.journal().append(StreamAppend.of("input", 0, record("0"), record("1"), record("2")));
    storage.journal().truncate("input", 2);

    restart();

    assertThat(storage.journal().read("input", 0, 10)).extracting(JournalEntry::position).containsExactly(2L);
    assertThat(storage.journal().endPosition("input")).isEqualTo(3);
    assertThat(storage.journal().append(StreamAppend.atEnd("input", record("3")))).isEqualTo(3);
  }

  @Test
  void positionsAndVersionsGoOnAfterARestart() {
    storage.journal().append(StreamAppend.of("cart/v-2", 0, record("a"), record("b")));
    storage.table("payments").put("v-2", bytes("held"), KeyedTable.ABSENT);

    restart();

    assertThat(storage.journal().endPosition("cart/v-2")).isEqualTo(2);
    assertThat(storage.journal().append(StreamAppend.atEnd("cart/v-2", record("c")))).isEqualTo(2);
    assertThat(storage.journal().append(StreamAppend.of("cart/v-2", 3, record("d")))).isEqualTo(3);
    assertThat(storage.table("payments").put("v-2", bytes("captured"), 1)).isEqualTo(2);
    assertThat(texts("cart/v-2")).containsExactly("a", "b", "c", "d");
  }

  @Test
  void anAppendRepeatedAfterARestartIsRecognised() {
    StreamAppend line = StreamAppend.of("cart/v-3", 0, record("apple"));
    storage.journal().append(line);

    restart();

    assertThatThrownBy(() -> storage.journal().append(line))
        .isInstanceOfSatisfying(JournalConflictException.class, e -> assertThat(e.actualPosition()).isEqualTo(1));
    List<JournalEntry> there = storage.journal().read("cart/v-3", 0, 1);
    assertThat(there).extracting(JournalEntry::record).containsExactly(line.records().get(0));
  }

  @Test
  void appendsInFlightAtCloseAreCommittedOrFailedNeverHalfDone() {
    EventJournal journal = storage.journal();
    List<CompletableFuture<List<Long>>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      futures.add(journal.appendAllAsync(List.of(
          StreamAppend.of("flight/a", i, record("a" + i)), StreamAppend.of("flight/b", i, record("b" + i)))));
    }
    storage.close();
    int committed = 0;
    boolean failedBefore = false;
    for (CompletableFuture<List<Long>> future : futures) {
      try {
        future.join();
        assertThat(failedBefore).as("an append after a failed one committed: order was broken").isFalse();
        committed++;
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(StorageException.class)
            .isNotInstanceOf(CommitOutcomeUnknownException.class);
        failedBefore = true;
      }
    }

    storage = reopen(storage);

    List<String> a = texts("flight/a");
    List<String> b = texts("flight/b");
    assertThat(a).hasSize(committed);
    assertThat(b).hasSize(committed);
    for (int i = 0; i < committed; i++) {
      assertThat(a.get(i)).isEqualTo("a" + i);
      assertThat(b.get(i)).isEqualTo("b" + i);
    }
  }
}
