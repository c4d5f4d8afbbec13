package dev.jwo.cart.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.cart.v1.CartLedgerEntry;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.core.BinId;
import dev.jwo.core.Money;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalConflictException;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The carts of all visits, each an append-only ledger in the journal (stream {@code cart/<visit id>}). A cart is
 * rebuilt by folding its ledger; the latest fold is cached. Appends are idempotent by position: a server that
 * restarts replays its journaled input from the start, so this run's n-th entry of a visit goes to position n,
 * where an earlier run may already have stored the same entry; it is then recognised, not appended twice. An
 * entry that differs from the stored one at its position is refused: the input or the code changed under the
 * stored ledger.
 *
 * <p>A ledger says where in the store and when the person took and put back items (location data), so it is one of
 * the visit's {@link VisitRecords}: {@link #delete} removes it from the journal and from memory when the visit's
 * payment records' retention ends. Should the input that built it be replayed after that (a recovery window
 * longer than the retention), its entries are recognised as deleted and not written again.
 *
 * <p>Written from the pipeline thread; read from any thread.
 */
@Singleton
public final class CartLedger implements VisitRecords {
  static final String STREAM_PREFIX = "cart/";
  private static final String ENTRY_TYPE = "cart-entry/v1";

  private final StoreLayout layout;
  private final EventJournal journal;
  private final Map<VisitId, Cart> carts = new ConcurrentHashMap<>();
  private final Map<VisitId, List<CartEntry>> entries = new ConcurrentHashMap<>();
  private final List<Consumer<Cart>> listeners = new CopyOnWriteArrayList<>();

  @Inject
  public CartLedger(StoreLayout layout, StoreStorage storage) {
    this.layout = layout;
    this.journal = storage.journal();
  }

  /** Starts an empty cart for a visit in this run (idempotent). */
  public Cart open(VisitId visit) {
    return carts.computeIfAbsent(visit, v -> {
      entries.put(v, new ArrayList<>());
      return fold(v, List.of());
    });
  }

  /**
   * Takes up a visit's ledger as a pipeline snapshot kept it: {@code ledger} is what this run had appended (and is
   * in the journal), so the next entry goes to the position after it. Nothing is written and no listener is told.
   */
  public void resume(VisitId visit, List<CartEntry> ledger) {
    List<CartEntry> kept = new ArrayList<>(ledger);
    entries.put(visit, kept);
    carts.put(visit, fold(visit, kept));
  }

  /** Decodes an entry as {@link #encode} wrote it (in the journal or a snapshot). */
  public static CartEntry entryOf(CartLedgerEntry e) {
    return new CartEntry(e.getTsMs(), Sku.of(e.getSku()), e.getQuantityDelta(), BinId.of(e.getBin()),
        e.getConfident(), e.getExplanation());
  }

  /** The entries of a visit's ledger as stored, including those of earlier runs on the same storage. */
  public List<CartEntry> storedLedger(VisitId visit) {
    return readLedger(visit);
  }

  /**
   * Appends an entry to a visit's ledger, durably, and returns the cart after it.
   *
   * @throws StorageException if the journal fails; the entry is then not in the cart
   */
  public Cart append(VisitId visit, CartEntry entry) {
    open(visit);
    List<CartEntry> ledger = entries.computeIfAbsent(visit, v -> new ArrayList<>());
    long position = ledger.size();
    JournalRecord record = new JournalRecord(ENTRY_TYPE, encode(entry).toByteArray());
    try {
      journal.append(StreamAppend.of(STREAM_PREFIX + visit.value(), position, record));
    } catch (JournalConflictException e) {
      List<JournalEntry> existing = journal.read(STREAM_PREFIX + visit.value(), position, 1);
      // Nothing readable at or after the position, or only later records: deleted by retention (see delete).
      boolean deleted = existing.isEmpty() ? position < journal.endPosition(STREAM_PREFIX + visit.value())
          : existing.get(0).position() > position;
      if (!deleted && (existing.isEmpty() || !existing.get(0).record().equals(record))) {
        throw new StorageException("cart ledger of " + visit + " holds a different entry at position " + position
            + "; refusing to overwrite it", false, e);
      }
    }
    ledger.add(entry);
    Cart cart = fold(visit, ledger);
    carts.put(visit, cart);
    for (Consumer<Cart> listener : listeners) {
      listener.accept(cart);
    }
    return cart;
  }

  @Override
  public String where() {
    return "cart ledger (journal stream " + STREAM_PREFIX + "<visit>)";
  }

  @Override
  public DataCategory category() {
    return DataCategory.LOCATION_TRACK;
  }

  /** Kept until the visit's payment records go: the payment and its disputes need it. */
  @Override
  public int deleteOnRequest(String visit) {
    return 0;
  }

  /**
   * Deletes the visit's ledger from the journal (every record of stream {@code cart/<visit>}) and its cart from
   * memory.
   *
   * @return how many ledger entries were deleted
   */
  @Override
  public int delete(String visit) {
    String stream = STREAM_PREFIX + visit;
    long end = journal.endPosition(stream);
    List<JournalEntry> first = journal.read(stream, 0, 1);
    journal.truncate(stream, end);
    carts.remove(VisitId.of(visit));
    entries.remove(VisitId.of(visit));
    return first.isEmpty() ? 0 : (int) (end - first.get(0).position());
  }

  /** The cart of a visit, if it has one. */
  public Optional<Cart> cart(VisitId visit) {
    return Optional.ofNullable(carts.get(visit));
  }

  /** Units of each product a visit's cart holds now. */
  public Map<Sku, Integer> quantities(VisitId visit) {
    Map<Sku, Integer> quantities = new TreeMap<>();
    cart(visit).ifPresent(c -> c.lines().forEach(l -> quantities.put(l.sku(), l.quantity())));
    return quantities;
  }

  /** The visit's ledger entries, in order. */
  public List<CartEntry> ledger(VisitId visit) {
    List<CartEntry> ledger = entries.get(visit);
    return ledger == null ? List.of() : List.copyOf(ledger);
  }

  /** Registers a listener told of every cart change, on the pipeline thread; it must not block. */
  public void addListener(Consumer<Cart> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<Cart> listener) {
    listeners.remove(listener);
  }

  /** Rebuilds a cart from its ledger: quantities summed per product, doubts from entries that were not confident. */
  Cart fold(VisitId visit, List<CartEntry> ledger) {
    Map<Sku, Integer> quantities = new TreeMap<>();
    List<String> doubts = new ArrayList<>();
    for (CartEntry entry : ledger) {
      int quantity = quantities.getOrDefault(entry.sku(), 0) + entry.quantityDelta();
      if (quantity < 0) {
        doubts.add("put back " + -entry.quantityDelta() + " x " + entry.sku() + " that the cart did not hold");
        quantity = 0;
      }
      quantities.put(entry.sku(), quantity);
      if (!entry.confident()) {
        doubts.add(entry.explanation());
      }
    }
    Money total = Money.zero(layout.currency());
    List<CartLine> lines = new ArrayList<>();
    for (Map.Entry<Sku, Integer> q : quantities.entrySet()) {
      if (q.getValue() <= 0) {
        continue;
      }
      Product product = layout.product(q.getKey()).orElse(null);
      if (product == null) {
        doubts.add("unknown product " + q.getKey());
        continue;
      }
      CartLine line = new CartLine(product.sku(), product.name(), q.getValue(), product.price());
      lines.add(line);
      total = total.plus(line.amount());
    }
    return new Cart(visit, lines, total, ledger.size(), doubts);
  }

  private List<CartEntry> readLedger(VisitId visit) {
    List<CartEntry> ledger = new ArrayList<>();
    String stream = STREAM_PREFIX + visit.value();
    long position = 0;
    while (true) {
      List<JournalEntry> batch = journal.read(stream, position, 1_000);
      if (batch.isEmpty()) {
        return ledger;
      }
      for (JournalEntry e : batch) {
        ledger.add(decode(e));
        position = e.position() + 1;
      }
    }
  }

  /** An entry as the journal (and a pipeline snapshot) keeps it. */
  public static CartLedgerEntry encode(CartEntry entry) {
    return CartLedgerEntry.newBuilder()
        .setTsMs(entry.ts())
        .setSku(entry.sku().value())
        .setQuantityDelta(entry.quantityDelta())
        .setBin(entry.bin().value())
        .setConfident(entry.confident())
        .setExplanation(entry.explanation())
        .build();
  }

  static CartEntry decode(JournalEntry stored) {
    try {
      return entryOf(CartLedgerEntry.parseFrom(stored.record().payload()));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new StorageException("cart ledger entry " + stored.position() + " of " + stored.stream()
          + " cannot be read: " + e.getMessage(), false, e);
    }
  }
}
