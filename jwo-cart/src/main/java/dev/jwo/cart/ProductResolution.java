package dev.jwo.cart;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a shelf event most likely was, best first, and whether the best explanation is clear enough to charge
 * for without a person checking. A resolution without hypotheses cannot be confident (the constructor rejects it):
 * there is nothing to charge.
 */
public record ProductResolution(List<ProductHypothesis> hypotheses, boolean confident, String explanation) {
  public ProductResolution {
    hypotheses = List.copyOf(hypotheses);
    Objects.requireNonNull(explanation, "explanation");
    if (confident && hypotheses.isEmpty()) {
      throw new IllegalArgumentException("a resolution without hypotheses cannot be confident");
    }
  }

  public Optional<ProductHypothesis> best() {
    return hypotheses.isEmpty() ? Optional.empty() : Optional.of(hypotheses.get(0));
  }
}
