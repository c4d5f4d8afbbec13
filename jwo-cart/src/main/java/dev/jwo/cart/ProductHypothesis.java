package dev.jwo.cart;

import dev.jwo.core.Sku;
import java.util.Objects;

/**
 * One explanation of a shelf event: {@code quantity} units of {@code sku} (positive: taken; negative: put back),
 * with {@code zScore} how many standard deviations the observed weight change is from the expected one.
 */
public record ProductHypothesis(Sku sku, int quantity, double zScore) {
  public ProductHypothesis {
    Objects.requireNonNull(sku, "sku");
    if (quantity == 0) {
      throw new IllegalArgumentException("a hypothesis needs a non-zero quantity");
    }
  }
}
