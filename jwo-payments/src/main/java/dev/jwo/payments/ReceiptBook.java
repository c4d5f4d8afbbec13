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
import dev.jwo.core.storage.VersionedValue;
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
 * they were decided. A receipt {@linkplain #amend amended} after it was issued (a review's resolution, a refund)
 * becomes a new version; earlier versions stay readable in table {@code receipt_versions}. Thread-safe.
 */
@Singleton
public final class ReceiptBook {
  static final String TABLE = "receipts";
  static final String VERSIONS = "receipt_versions";
  private static final Comparator<Receipt> DECIDED_ORDER =
      Comparator.comparingLong(Receipt::finalizedTs).thenComparing(Receipt::visitId);

  private final KeyedTable table;
  private final KeyedTable versions;
  private final Currency currency;
  private final Map<VisitId, Receipt> receipts = new HashMap<>();
  private final Map<VisitId, Integer> currentVersion = new HashMap<>();
  private final Map<VisitId, String> amendments = new HashMap<>();
  private final List<Consumer<Receipt>> listeners = new CopyOnWriteArrayList<>();

  private final TaxTable taxes;

  /** A book whose receipts carry no tax. */
  public ReceiptBook(StoreStorage storage, StoreLayout layout) {
    this(storage, layout, TaxTable.NONE);
  }

  @Inject
  public ReceiptBook(StoreStorage storage, StoreLayout layout, TaxTable taxes) {
    this.taxes = taxes;
    this.table = storage.table(TABLE);
    this.versions = storage.table(VERSIONS);
    this.currency = layout.currency();
    for (KeyedValue row : table.scan("")) {
      StoredReceipt stored = parse(row.key(), row.value().value());
      Receipt receipt = decode(row.key(), stored);
      receipts.put(receipt.visitId(), receipt);
      currentVersion.put(receipt.visitId(), Math.max(1, stored.getVersion()));
      amendments.put(receipt.visitId(), stored.getAmendment());
    }
  }

  /** The store's tax table, by which every receipt's total is computed. */
  public TaxTable taxes() {
    return taxes;
  }

  /** What a party pays for {@code items}: their subtotal plus tax ({@link TaxTable#total}). */
  public Money total(List<LineItem> items) {
    return taxes.total(items, Money.zero(currency));
  }

  /**
   * {@code items} less {@code quantity} units of line {@code line} (the line goes when none are left).
   *
   * @throws IndexOutOfBoundsException if there is no such line
   * @throws IllegalArgumentException unless {@code quantity} is 1 to the line's quantity
   */
  public static List<LineItem> without(List<LineItem> items, int line, int quantity) {
    LineItem taken = items.get(line);
    if (quantity < 1 || quantity > taken.quantity()) {
      throw new IllegalArgumentException("quantity must be between 1 and the line's " + taken.quantity()
          + ", was " + quantity);
    }
    List<LineItem> less = new ArrayList<>(items);
    if (quantity == taken.quantity()) {
      less.remove(line);
    } else {
      less.set(line, new LineItem(taken.sku(), taken.quantity() - quantity, taken.unitPrice()));
    }
    return less;
  }

  /**
   * What {@code quantity} units of line {@code line} of {@code items} cost, tax included: the total with them less the
   * total without them (so refunds add up to the total charged, however tax rounds).
   */
  public Money amountOf(List<LineItem> items, int line, int quantity) {
    return total(items).minus(total(without(items, line, quantity)));
  }

  /** Records a receipt durably, replacing the visit's current version (a decision not yet issued, or completed). */
  public void record(Receipt receipt) {
    int version;
    String amendment;
    synchronized (this) {
      version = currentVersion.getOrDefault(receipt.visitId(), 1);
      amendment = amendments.getOrDefault(receipt.visitId(), "");
    }
    write(receipt, version, amendment);
  }

  /**
   * Issues a new version of a visit's receipt: the current one is kept, readable through {@link #history}, and
   * {@code receipt} becomes current with {@code why} as its amendment note.
   *
   * @return the new version's number
   * @throws IllegalStateException if the visit has no receipt yet
   */
  public int amend(Receipt receipt, String why) {
    Receipt current;
    int version;
    String amendment;
    synchronized (this) {
      current = receipts.get(receipt.visitId());
      if (current == null) {
        throw new IllegalStateException("visit " + receipt.visitId() + " has no receipt to amend");
      }
      version = currentVersion.getOrDefault(receipt.visitId(), 1);
      amendment = amendments.getOrDefault(receipt.visitId(), "");
    }
    versions.put(versionKey(receipt.visitId(), version),
        encode(current).toBuilder().setVersion(version).setAmendment(amendment).build().toByteArray(),
        KeyedTable.ANY_VERSION);
    write(receipt, version + 1, why);
    return version + 1;
  }

  /** Every version of a visit's receipt, oldest first (empty without a receipt). */
  public List<ReceiptVersion> history(VisitId visit) {
    List<ReceiptVersion> history = new ArrayList<>();
    for (KeyedValue row : versions.scan(visit.value() + "/")) {
      StoredReceipt stored = parse(row.key(), row.value().value());
      history.add(new ReceiptVersion(stored.getVersion(), decode(row.key(), stored), stored.getAmendment()));
    }
    current(visit).ifPresent(history::add);
    return history;
  }

  /** The visit's current receipt with its version number. */
  public synchronized Optional<ReceiptVersion> current(VisitId visit) {
    Receipt receipt = receipts.get(visit);
    return receipt == null ? Optional.empty() : Optional.of(new ReceiptVersion(
        currentVersion.getOrDefault(visit, 1), receipt, amendments.getOrDefault(visit, "")));
  }

  private void write(Receipt given, int version, String amendment) {
    Receipt receipt;
    synchronized (this) {
      receipt = keepErased(given);
    }
    table.put(receipt.visitId().value(),
        encode(receipt).toBuilder().setVersion(version).setAmendment(amendment).build().toByteArray(),
        KeyedTable.ANY_VERSION);
    synchronized (this) {
      receipts.put(receipt.visitId(), receipt);
      currentVersion.put(receipt.visitId(), version);
      amendments.put(receipt.visitId(), amendment);
    }
    for (Consumer<Receipt> listener : listeners) {
      listener.accept(receipt);
    }
  }

  /**
   * Replaces the raw credential of every version of {@code visit}'s receipt by {@code erased} (what
   * {@link Credential#erasedTo} left of it), in storage and in memory; listeners are not told, since the receipt
   * itself does not change.
   *
   * @return how many stored versions held the raw credential
   * @throws IllegalArgumentException unless {@code erased} is an erased credential
   * @throws StorageException if a version changed meanwhile (a conflict) or the storage failed; what was erased
   *     stays erased, and erasing again completes it
   */
  public int eraseCredential(VisitId visit, Credential erased) {
    if (!erased.erased()) {
      throw new IllegalArgumentException("a receipt's credential is replaced only by its keyed subject");
    }
    int rewritten = 0;
    for (KeyedValue row : versions.scan(visit.value() + "/")) {
      StoredReceipt stored = parse(row.key(), row.value().value());
      if (!stored.getCredentialErased()) {
        versions.put(row.key(), erase(stored, erased).toByteArray(), row.value().version());
        rewritten++;
      }
    }
    synchronized (this) {
      Receipt current = receipts.get(visit);
      Optional<VersionedValue> row = table.get(visit.value());
      if (current == null || row.isEmpty()) {
        return rewritten;
      }
      StoredReceipt stored = parse(visit.value(), row.get().value());
      if (!stored.getCredentialErased()) {
        table.put(visit.value(), erase(stored, erased).toByteArray(), row.get().version());
        rewritten++;
      }
      receipts.put(visit, new Receipt(current.visitId(), erased, current.status(), current.items(), current.total(),
          current.exitTs(), current.finalizedTs(), current.reasons(), current.paymentReference()));
    }
    return rewritten;
  }

  /** {@code receipt}, with its visit's erased credential if it was erased already: it never comes back. */
  private Receipt keepErased(Receipt receipt) {
    Receipt current = receipts.get(receipt.visitId());
    if (current == null || !current.credential().erased() || receipt.credential().erased()) {
      return receipt;
    }
    return new Receipt(receipt.visitId(), current.credential(), receipt.status(), receipt.items(), receipt.total(),
        receipt.exitTs(), receipt.finalizedTs(), receipt.reasons(), receipt.paymentReference());
  }

  private static StoredReceipt erase(StoredReceipt stored, Credential erased) {
    return stored.toBuilder().setCredential(erased.reveal()).setCredentialErased(true).build();
  }

  private static String versionKey(VisitId visit, int version) {
    return visit.value() + "/" + String.format(java.util.Locale.ROOT, "%06d", version);
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
        .setCredentialErased(r.credential().erased())
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

  private static StoredReceipt parse(String key, byte[] bytes) {
    try {
      return StoredReceipt.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("receipt '" + key + "' cannot be read: " + e.getMessage(), false, e);
    }
  }

  private Receipt decode(String key, StoredReceipt s) {
    try {
      Currency c = s.getCurrency().isEmpty() ? currency : Currency.getInstance(s.getCurrency());
      List<LineItem> items = new ArrayList<>();
      for (StoredLine line : s.getLinesList()) {
        items.add(new LineItem(Sku.of(line.getSku()), line.getQuantity(), new Money(line.getUnitPriceMinor(), c)));
      }
      return new Receipt(
          VisitId.of(s.getVisitId()),
          s.getCredentialErased() ? Credential.erasedTo(s.getCredential()) : Credential.of(s.getCredential()),
          ReceiptStatus.valueOf(s.getStatus()),
          items,
          new Money(s.getTotalMinor(), c),
          s.getHasExit() ? s.getExitTsMs() : null,
          s.getFinalizedTsMs(),
          s.getReasonsList(),
          s.getPaymentReference());
    } catch (IllegalArgumentException e) {
      throw new StorageException("receipt '" + key + "' cannot be read: "
          + e.getMessage(), false, e);
    }
  }
}
