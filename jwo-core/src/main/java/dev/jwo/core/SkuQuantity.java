package dev.jwo.core;

import java.util.Objects;

/** A quantity of one product, as on a receipt line. */
public record SkuQuantity(Sku sku, int quantity) implements Comparable<SkuQuantity> {
  public SkuQuantity {
    Objects.requireNonNull(sku, "sku");
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity of " + sku + " must be positive, was " + quantity);
    }
  }

  @Override
  public int compareTo(SkuQuantity other) {
    int bySku = sku.compareTo(other.sku);
    return bySku != 0 ? bySku : Integer.compare(quantity, other.quantity);
  }
}
