package dev.jwo.core.visit;

import dev.jwo.core.Money;
import dev.jwo.core.Sku;
import java.util.Objects;

/** A quantity of one product at its unit price. */
public record LineItem(Sku sku, int quantity, Money unitPrice) {
  public LineItem {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(unitPrice, "unitPrice");
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity of " + sku + " must be positive");
    }
  }

  public Money amount() {
    return unitPrice.times(quantity);
  }
}
