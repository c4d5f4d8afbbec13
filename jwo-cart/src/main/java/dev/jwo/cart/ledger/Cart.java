package dev.jwo.cart.ledger;

import dev.jwo.core.Money;
import dev.jwo.core.VisitId;
import java.util.List;
import java.util.Objects;

/**
 * A visit's cart as its ledger stands at {@code version} (the number of ledger entries): the lines with a
 * positive quantity, in SKU order, and the doubts that would keep it from being charged unchecked.
 */
public record Cart(VisitId visitId, List<CartLine> lines, Money total, long version, List<String> doubts) {
  public Cart {
    Objects.requireNonNull(visitId, "visitId");
    Objects.requireNonNull(total, "total");
    lines = List.copyOf(lines);
    doubts = List.copyOf(doubts);
  }

  public boolean confident() {
    return doubts.isEmpty();
  }
}
