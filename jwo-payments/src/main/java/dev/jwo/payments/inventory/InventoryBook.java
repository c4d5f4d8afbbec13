package dev.jwo.payments.inventory;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.payments.v1.BinStock;
import dev.jwo.payments.v1.InventoryEvent;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The live per-bin inventory (table {@value #TABLE}): each bin starts with its layout's initial units; shelf changes
 * ({@link #shelfChanged}, in event time) and staff restocks ({@link #restock}) move it. Units put in a bin that
 * is not their product's are a planogram error; a bin whose own units fall to {@link #LOW_STOCK_UNITS} or fewer
 * raises a low-stock alert (once, until restocked above). Counted in {@code jwo.inventory.planogram.errors} and
 * {@code jwo.inventory.low.stock}; every change is told to subscribers. Thread-safe.
 */
@Singleton
public final class InventoryBook {
  public static final String TABLE = "inventory";
  /** A bin with this many units of its product or fewer is low. */
  public static final int LOW_STOCK_UNITS = 2;

  private final StoreLayout layout;
  private final KeyedTable table;
  private final Clock clock;
  private final MeterRegistry registry;
  private final List<Consumer<InventoryEvent>> subscribers = new ArrayList<>();

  @Inject
  public InventoryBook(StoreLayout layout, StoreStorage storage, Clock clock, MeterRegistry registry) {
    this.layout = layout;
    this.table = storage.table(TABLE);
    this.clock = clock;
    this.registry = registry;
  }

  /** The bin's stock now. */
  public synchronized Optional<BinStock> stock(BinId bin) {
    return layout.bin(bin).map(this::load);
  }

  /** Every bin's stock, in layout order. */
  public synchronized List<BinStock> all() {
    return layout.bins().stream().map(this::load).toList();
  }

  /**
   * The shelves moved {@code delta} units of {@code sku} in {@code bin} at {@code ts}. A change not newer than the
   * bin's last (input replayed after a restart) is skipped.
   */
  public synchronized void shelfChanged(BinId binId, Sku sku, int delta, long ts) {
    Optional<Bin> bin = layout.bin(binId);
    if (bin.isEmpty() || delta == 0) {
      return;
    }
    BinStock before = load(bin.get());
    if (ts <= before.getUpdatedTsMs()) {
      return;
    }
    BinStock after = apply(before, sku, delta).setUpdatedTsMs(ts).build();
    save(after);
    tell(event(InventoryEvent.Kind.CHANGED, after, sku, delta, ts, (delta < 0 ? "taken: " : "put back: ")
        + Math.abs(delta) + " of " + sku + " in bin " + binId));
    after(before, after, sku, delta, ts, "put back");
  }

  /**
   * Staff put {@code units} of {@code sku} (the bin's product when null) in the bin.
   *
   * @throws IllegalArgumentException for an unknown bin or product, or units outside 1-10000
   */
  public synchronized BinStock restock(BinId binId, @org.jspecify.annotations.Nullable Sku sku, int units) {
    Bin bin = layout.bin(binId).orElseThrow(() -> new IllegalArgumentException("bin " + binId
        + " is not in the store's layout"));
    Sku product = sku == null ? bin.sku() : sku;
    if (layout.product(product).isEmpty()) {
      throw new IllegalArgumentException("product " + product + " is not in the store's catalog");
    }
    if (units < 1 || units > 10_000) {
      throw new IllegalArgumentException("units must be between 1 and 10000, was " + units);
    }
    BinStock before = load(bin);
    BinStock after = apply(before, product, units).build();
    save(after);
    long now = clock.millis();
    tell(event(InventoryEvent.Kind.RESTOCKED, after, product, units, now, "restocked " + units + " of " + product
        + " in bin " + binId));
    after(before, after, product, units, now, "restocked");
    return after;
  }

  /** The stock now of every bin, then every change, given to {@code consumer}; returns the cancellation. */
  public synchronized Runnable subscribe(Consumer<InventoryEvent> consumer) {
    for (BinStock bin : all()) {
      consumer.accept(event(InventoryEvent.Kind.STOCK, bin, bin.getSku(), 0, bin.getUpdatedTsMs(), ""));
    }
    subscribers.add(consumer);
    return () -> {
      synchronized (this) {
        subscribers.remove(consumer);
      }
    };
  }

  private void after(BinStock before, BinStock after, Sku sku, int delta, long ts, String how) {
    if (delta > 0 && !sku.value().equals(after.getSku())) {
      registry.counter("jwo.inventory.planogram.errors").increment();
      tell(event(InventoryEvent.Kind.PLANOGRAM_ERROR, after, sku, delta, ts, how + " " + delta + " of " + sku
          + " in bin " + after.getBinId() + ", which holds " + after.getSku()));
    }
    if (after.getLow() && !before.getLow()) {
      registry.counter("jwo.inventory.low.stock").increment();
      tell(event(InventoryEvent.Kind.LOW_STOCK, after, Sku.of(after.getSku()), 0, ts, "bin " + after.getBinId()
          + " is down to " + after.getUnits() + " of " + after.getSku()));
    }
  }

  private static BinStock.Builder apply(BinStock before, Sku sku, int delta) {
    BinStock.Builder b = before.toBuilder();
    if (sku.value().equals(before.getSku())) {
      b.setUnits(Math.max(0, before.getUnits() + delta));
    } else {
      int units = Math.max(0, before.getMisplacedOrDefault(sku.value(), 0) + delta);
      if (units == 0) {
        b.removeMisplaced(sku.value());
      } else {
        b.putMisplaced(sku.value(), units);
      }
    }
    return b.setLow(b.getUnits() <= LOW_STOCK_UNITS);
  }

  private BinStock load(Bin bin) {
    return table.get(bin.id().value()).map(v -> {
      try {
        return BinStock.parseFrom(v.value());
      } catch (InvalidProtocolBufferException e) {
        throw new StorageException("inventory of bin " + bin.id() + " cannot be read: " + e.getMessage(), false, e);
      }
    }).orElseGet(() -> BinStock.newBuilder().setBinId(bin.id().value()).setSku(bin.sku().value())
        .setUnits(bin.initialQuantity()).setLow(bin.initialQuantity() <= LOW_STOCK_UNITS).build());
  }

  private void save(BinStock stock) {
    table.put(stock.getBinId(), stock.toByteArray(), KeyedTable.ANY_VERSION);
  }

  private void tell(InventoryEvent event) {
    for (Consumer<InventoryEvent> s : List.copyOf(subscribers)) {
      s.accept(event);
    }
  }

  private static InventoryEvent event(InventoryEvent.Kind kind, BinStock bin, String sku, int delta, long ts,
      String description) {
    return InventoryEvent.newBuilder().setKind(kind).setBin(bin).setSku(sku).setDelta(delta).setTsMs(ts)
        .setDescription(description).build();
  }

  private static InventoryEvent event(InventoryEvent.Kind kind, BinStock bin, Sku sku, int delta, long ts,
      String description) {
    return event(kind, bin, sku.value(), delta, ts, description);
  }
}
