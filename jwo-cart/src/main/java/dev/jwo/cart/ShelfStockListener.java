package dev.jwo.cart;

import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import java.util.Objects;

/**
 * Told of every change the shelves make to a bin's contents as the pipeline understands them: a take attributed to a
 * visit removes units, a put-back adds them (of the product put back, which may not be the bin's own). Called on the
 * pipeline thread, in event-time order; must be quick and must not throw. Bound with {@code Multibinder}
 * ({@code CartModule.shelfStockListeners}).
 */
@FunctionalInterface
public interface ShelfStockListener {

  void stockChanged(Change change);

  /**
   * One change.
   *
   * @param bin the bin
   * @param sku the product taken or put back
   * @param delta units added (positive) or removed (negative)
   * @param ts when the load settled (event time, ms)
   */
  record Change(BinId bin, Sku sku, int delta, long ts) {
    public Change {
      Objects.requireNonNull(bin, "bin");
      Objects.requireNonNull(sku, "sku");
    }
  }
}
