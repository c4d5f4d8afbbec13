package dev.jwo.testing.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.storage.CommitOutcomeUnknownException;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.VersionConflictException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FakeStoreStorageTest {
  private final FakeStoreStorage storage = new FakeStoreStorage();
  private final JournalRecord line = new JournalRecord("t", "apple".getBytes(StandardCharsets.UTF_8));

  @Test
  void anAppendWhoseOutcomeIsUnknownButAppliedIsRecognisedWhenRetried() {
    storage.failNextWrite(true);
    StreamAppend append = StreamAppend.of("cart/v-1", 0, line);
    assertThatThrownBy(() -> storage.journal().append(append))
        .isInstanceOfSatisfying(CommitOutcomeUnknownException.class, e -> assertThat(e.isRetriable()).isTrue());

    assertThatThrownBy(() -> storage.journal().append(append)).isInstanceOf(JournalConflictException.class);
    assertThat(storage.journal().read("cart/v-1", 0, 10)).singleElement()
        .satisfies(e -> assertThat(e.record()).isEqualTo(line));
  }

  @Test
  void anAppendWhoseOutcomeIsUnknownAndNotAppliedSucceedsWhenRetried() {
    storage.failNextWrite(false);
    StreamAppend append = StreamAppend.of("cart/v-1", 0, line);
    assertThatThrownBy(() -> storage.journal().append(append)).isInstanceOf(CommitOutcomeUnknownException.class);
    assertThat(storage.journal().endPosition("cart/v-1")).isZero();

    assertThat(storage.journal().append(append)).isZero();
    assertThat(storage.journal().endPosition("cart/v-1")).isEqualTo(1);
  }

  @Test
  void onlyTheNextWriteFailsAndRowWritesCanFailToo() {
    KeyedTable payments = storage.table("payments");
    storage.failNextWrite(true);
    assertThatThrownBy(() -> payments.put("v-1", new byte[] {1}, KeyedTable.ABSENT))
        .isInstanceOf(CommitOutcomeUnknownException.class);
    assertThatThrownBy(() -> payments.put("v-1", new byte[] {1}, KeyedTable.ABSENT))
        .isInstanceOfSatisfying(VersionConflictException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
    assertThat(payments.put("v-1", new byte[] {2}, 1)).isEqualTo(2);
  }

  @Test
  void aReopenedStorageSeesTheDataAndTheOldOneIsClosed() {
    storage.journal().append(StreamAppend.atEnd("audit", line));
    FakeStoreStorage reopened = storage.reopen();
    assertThat(reopened.journal().endPosition("audit")).isEqualTo(1);
    assertThatThrownBy(() -> storage.journal().endPosition("audit"))
        .hasMessageContaining("closed");
  }
}
