package dev.jwo.cart;

import java.util.List;
import java.util.Optional;

/**
 * What a shelf event most likely was, best first, and whether the best explanation is clear enough to charge
 * for without a person checking.
 */
public record ProductResolution(List<ProductHypothesis> hypotheses, boolean confident, String explanation) {
  public ProductResolution {
    hypotheses = List.copyOf(hypotheses);
  }

  public Optional<ProductHypothesis> best() {
    return hypotheses.isEmpty() ? Optional.empty() : Optional.of(hypotheses.get(0));
  }
}
