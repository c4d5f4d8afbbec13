package dev.jwo.cart.shelf;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.core.Sku;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a resolver's explanations of a weight change into probabilities: each hypothesis weighs its fit to the
 * weight (a normal likelihood of its z-score) times a prior. The bin's own product is the usual thing taken from or
 * put back into a bin; another product there (put back into the wrong bin) or being put back here is rarer, and
 * several units at once rarer than one. Some probability is kept for a change that none of the candidates explains.
 */
final class ProductBelief {
  /** Prior of a product other than the bin's own, against 1 for the bin's own. */
  static final double OTHER_PRODUCT_PRIOR = 0.15;
  /** Prior factor per unit beyond the first. */
  static final double EXTRA_UNIT_PRIOR = 0.5;
  /** Weight of "none of these", as a likelihood at this z-score. */
  static final double UNEXPLAINED_Z = 4.0;

  /** One explanation with its probability; a null SKU is "none of the candidates". */
  record Weighted(@Nullable Sku sku, int quantity, double probability) {}

  private ProductBelief() {}

  /** The explanations of {@code resolution}, most likely first, for a change in a bin stocked with {@code own}. */
  static List<Weighted> of(ProductResolution resolution, Sku own, Map<Sku, Integer> candidates) {
    List<Weighted> weighted = new ArrayList<>();
    double sum = 0;
    for (ProductHypothesis h : resolution.hypotheses()) {
      if (!candidates.containsKey(h.sku())) {
        continue;
      }
      double prior = (h.sku().equals(own) ? 1 : OTHER_PRODUCT_PRIOR)
          * Math.pow(EXTRA_UNIT_PRIOR, Math.abs(h.quantity()) - 1);
      double w = prior * Math.exp(-h.zScore() * h.zScore() / 2);
      weighted.add(new Weighted(h.sku(), h.quantity(), w));
      sum += w;
    }
    double none = Math.exp(-UNEXPLAINED_Z * UNEXPLAINED_Z / 2);
    weighted.add(new Weighted(null, 0, none));
    sum += none;
    List<Weighted> result = new ArrayList<>();
    for (Weighted w : weighted) {
      result.add(new Weighted(w.sku(), w.quantity(), w.probability() / sum));
    }
    result.sort(Comparator.comparingDouble(Weighted::probability).reversed()
        .thenComparing(w -> String.valueOf(w.sku()))
        .thenComparingInt(w -> Math.abs(w.quantity())));
    return result;
  }
}
