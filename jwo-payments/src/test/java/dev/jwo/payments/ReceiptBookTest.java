package dev.jwo.payments;

import static dev.jwo.payments.TestLayouts.JUICE;
import static dev.jwo.payments.TestLayouts.WATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.storelog.ReceiptRecord;
import dev.jwo.core.visit.LineItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptBookTest {
  static final long T = 1_764_410_400_000L;

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final ReceiptBook book = new ReceiptBook(storage, TestLayouts.store());

  static Receipt charged(String visit, String credential, long finalizedTs) {
    return new Receipt(VisitId.of(visit), Credential.of(credential), ReceiptStatus.CHARGED,
        List.of(new LineItem(WATER, 2, usd(199)), new LineItem(JUICE, 1, usd(2_999))), usd(3_397),
        finalizedTs - 1_500, finalizedTs, List.of(), "cap-" + visit);
  }

  static Receipt review(String visit, String credential, long finalizedTs) {
    return new Receipt(VisitId.of(visit), Credential.of(credential), ReceiptStatus.REVIEW,
        List.of(new LineItem(WATER, 1, usd(199))), usd(199), finalizedTs - 1_500, finalizedTs,
        List.of("hands of two visits were near bin A1-1", "0 of 1 party members were seen coming in"), "");
  }

  static Receipt open(String visit, String credential, long finalizedTs) {
    return new Receipt(VisitId.of(visit), Credential.of(credential), ReceiptStatus.OPEN, List.of(), usd(0), null,
        finalizedTs, List.of("the visit had not ended"), "");
  }

  @Test
  void receiptsAreKeptDurablyAndReloadedEqual() {
    List<Receipt> receipts = List.of(charged("v-1", "c-1", T + 10), review("v-2", "c-2", T + 20),
        open("v-3", "c-3", T + 30));
    receipts.forEach(book::record);

    ReceiptBook reloaded = new ReceiptBook(storage, TestLayouts.store());

    assertThat(reloaded.all()).containsExactlyElementsOf(receipts);
    assertThat(reloaded.receipt(VisitId.of("v-3"))).hasValueSatisfying(r -> assertThat(r.exitTs()).isNull());
    assertThat(reloaded.size()).isEqualTo(3);
  }

  @Test
  void aVisitHasOneReceiptAndTheLatestRecordReplacesIt() {
    book.record(review("v-1", "c-1", T + 10));
    Receipt charged = charged("v-1", "c-1", T + 500);

    book.record(charged);

    assertThat(book.receipt(VisitId.of("v-1"))).contains(charged);
    assertThat(new ReceiptBook(storage, TestLayouts.store()).all()).containsExactly(charged);
  }

  @Test
  void receiptsAreListedInTheOrderTheyWereDecided() {
    book.record(charged("v-c", "c-1", T + 30));
    book.record(charged("v-b", "c-2", T + 10));
    book.record(charged("v-a", "c-3", T + 30));

    assertThat(book.all()).extracting(r -> r.visitId().value()).containsExactly("v-b", "v-a", "v-c");
  }

  @Test
  void listenersAreToldOfEveryReceipt() {
    List<Receipt> told = new ArrayList<>();
    book.addListener(told::add);

    book.record(charged("v-1", "c-1", T));

    assertThat(told).containsExactly(charged("v-1", "c-1", T));
  }

  @Test
  void aReceiptBecomesALineOfTheReceiptsFile() {
    assertThat(charged("v-1", "c-1", T + 1_500).toRecord()).isEqualTo(new ReceiptRecord(Credential.of("c-1"),
        ReceiptStatus.CHARGED, List.of(new SkuQuantity(WATER, 2), new SkuQuantity(JUICE, 1)), 3_397, T, T + 1_500));
    assertThat(open("v-2", "c-2", T).toRecord().exitTs()).isNull();
  }

  @Test
  void anUnreadableRowFailsNamingIt() {
    storage.table("receipts").put("v-bad", "not a receipt".getBytes(StandardCharsets.UTF_8), KeyedTable.ABSENT);

    assertThatThrownBy(() -> new ReceiptBook(storage, TestLayouts.store()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("receipt 'v-bad'");
  }

  static Money usd(long minor) {
    return Money.ofMinor(minor, "USD");
  }
}
