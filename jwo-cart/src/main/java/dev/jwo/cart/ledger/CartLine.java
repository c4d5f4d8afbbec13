package dev.jwo.cart.ledger;

import dev.jwo.core.Money;
import dev.jwo.core.Sku;
import java.util.Objects;

/** A product in a cart: how many and at what price. */
public record CartLine(Sku sku, String name, int quantity, Money unitPrice) {
  public CartLine {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unitPrice, "unitPrice");
    if (quantity <= 0) {
      throw new IllegalArgumentException("a cart line needs a positive quantity");
    }
  }

  public Money amount() {
    return unitPrice.times(quantity);
  }
}
