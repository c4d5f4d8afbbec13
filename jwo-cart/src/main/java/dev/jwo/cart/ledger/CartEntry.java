package dev.jwo.cart.ledger;

import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import java.util.Objects;

/**
 * One line of a visit's cart ledger: {@code quantityDelta} units of {@code sku} taken (positive) or put back
 * (negative) at a bin, and whether that was clear enough to charge without a person checking.
 */
public record CartEntry(long ts, Sku sku, int quantityDelta, BinId bin, boolean confident, String explanation) {
  public CartEntry {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(bin, "bin");
    Objects.requireNonNull(explanation, "explanation");
    if (quantityDelta == 0) {
      throw new IllegalArgumentException("a cart entry must change a quantity");
    }
  }
}
