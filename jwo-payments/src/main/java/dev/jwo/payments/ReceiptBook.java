package dev.jwo.payments;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.v1.StoredLine;
import dev.jwo.payments.v1.StoredReceipt;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The store's receipts, kept durably in the {@code receipts} table (one row per visit) and listed in the order
 * they were decided. Thread-safe.
 */
@Singleton
public final class ReceiptBook {
  static final String TABLE = "receipts";
  private static final Comparator<Receipt> DECIDED_ORDER =
      Comparator.comparingLong(Receipt::finalizedTs).thenComparing(Receipt::visitId);

  private final KeyedTable table;
  private final Currency currency;
  private final Map<VisitId, Receipt> receipts = new HashMap<>();
  private final List<Consumer<Receipt>> listeners = new CopyOnWriteArrayList<>();

  @Inject
  public ReceiptBook(StoreStorage storage, StoreLayout layout) {
    this.table = storage.table(TABLE);
    this.currency = layout.currency();
    for (KeyedValue row : table.scan("")) {
      Receipt receipt = decode(row);
      receipts.put(receipt.visitId(), receipt);
    }
  }

  /** Records a receipt durably, replacing the visit's earlier one. */
  public void record(Receipt receipt) {
    table.put(receipt.visitId().value(), encode(receipt).toByteArray(), KeyedTable.ANY_VERSION);
    synchronized (this) {
      receipts.put(receipt.visitId(), receipt);
    }
    for (Consumer<Receipt> listener : listeners) {
      listener.accept(receipt);
    }
  }

  public synchronized Optional<Receipt> receipt(VisitId visit) {
    return Optional.ofNullable(receipts.get(visit));
  }

  /** Every receipt, in the order they were decided. */
  public synchronized List<Receipt> all() {
    List<Receipt> all = new ArrayList<>(receipts.values());
    all.sort(DECIDED_ORDER);
    return all;
  }

  public synchronized int size() {
    return receipts.size();
  }

  /** Tells {@code listener} of every receipt recorded from now on (on the recording thread; must not block). */
  public void addListener(Consumer<Receipt> listener) {
    listeners.add(listener);
  }

  private static StoredReceipt encode(Receipt r) {
    StoredReceipt.Builder b = StoredReceipt.newBuilder()
        .setVisitId(r.visitId().value())
        .setCredential(r.credential().reveal())
        .setStatus(r.status().name())
        .setCurrency(r.total().currency().getCurrencyCode())
        .setTotalMinor(r.total().minor())
        .setFinalizedTsMs(r.finalizedTs())
        .addAllReasons(r.reasons())
        .setPaymentReference(r.paymentReference());
    if (r.exitTs() != null) {
      b.setHasExit(true).setExitTsMs(r.exitTs());
    }
    for (LineItem item : r.items()) {
      b.addLines(StoredLine.newBuilder()
          .setSku(item.sku().value())
          .setQuantity(item.quantity())
          .setUnitPriceMinor(item.unitPrice().minor()));
    }
    return b.build();
  }

  private Receipt decode(KeyedValue row) {
    try {
      StoredReceipt s = StoredReceipt.parseFrom(row.value().value());
      Currency c = s.getCurrency().isEmpty() ? currency : Currency.getInstance(s.getCurrency());
      List<LineItem> items = new ArrayList<>();
      for (StoredLine line : s.getLinesList()) {
        items.add(new LineItem(Sku.of(line.getSku()), line.getQuantity(), new Money(line.getUnitPriceMinor(), c)));
      }
      return new Receipt(
          VisitId.of(s.getVisitId()),
          Credential.of(s.getCredential()),
          ReceiptStatus.valueOf(s.getStatus()),
          items,
          new Money(s.getTotalMinor(), c),
          s.getHasExit() ? s.getExitTsMs() : null,
          s.getFinalizedTsMs(),
          s.getReasonsList(),
          s.getPaymentReference());
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new StorageException("receipt '" + row.key() + "' in table " + TABLE + " cannot be read: "
          + e.getMessage(), false, e);
    }
  }
}
