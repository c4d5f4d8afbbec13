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
 * put back into a bin; another product there (put back into the wrong bin) or being put back here is rarer (a put
 * back's other candidates share one prior, however many the shopper holds), and several units at once rarer than
 * one. Some probability is kept for a change that none of the candidates explains, and some for no unit having
 * moved at all ({@link Artefact}): a small change is often a hand leaning on the shelf, a neighbour's cross-talk,
 * drift or noise.
 */
final class ProductBelief {
  /**
   * Prior of a product other than the bin's own, against 1 for the bin's own: of each other product lying in the
   * bin when units leave it; of all the other products a shopper holds together when a unit is put back (a shopper
   * who holds many products is no likelier to put one in the wrong bin than one who holds two).
   */
  static final double OTHER_PRODUCT_PRIOR = 0.15;
  /** Prior factor per unit beyond the first. */
  static final double EXTRA_UNIT_PRIOR = 0.5;
  /** Weight of "none of these", as a likelihood at this z-score. */
  static final double UNEXPLAINED_Z = 4.0;

  /**
   * How likely a change is to be no unit at all: a prior against 1 for a unit of the bin's own product, and the
   * spread of such changes (half-normal around zero; the larger of {@code spreadGrams} and twice the event's own
   * deviation, so that noisy cells produce larger artefacts).
   */
  record Artefact(double prior, double spreadGrams) {
    /**
     * A hand was in the bin: most changes are units. In simulated busy stores about one change in ten with a hand
     * in the bin moved no unit (a lift and set back caught half-way, a hand resting on the plate).
     */
    static final Artefact TOUCHED = new Artefact(0.1, 5.0);
    /**
     * No hand was seen in the bin: most such changes are artefacts, as a camera misses a hand in a bin far more
     * rarely than a load cell drifts or picks up its neighbour (cross-talk of 5-9 g measured on a real store).
     */
    static final Artefact UNTOUCHED = new Artefact(20, 5.0);

    double weight(double deltaGrams, double deltaSdGrams) {
      double spread = Math.max(spreadGrams, 2 * deltaSdGrams);
      double z = deltaGrams / spread;
      return prior * Math.exp(-z * z / 2);
    }
  }

  /** One explanation with its probability; a null SKU is "none of the candidates". */
  record Weighted(@Nullable Sku sku, int quantity, double probability) {}

  /**
   * The explanations of a change, most likely first, each a unit change (or one none of the candidates explains)
   * with its probability, and the probability that no unit moved at all; together they sum to 1.
   */
  record Explained(List<Weighted> units, double nothingMoved) {
    /** The most likely unit explanation, or null when none is (only possible when nothing moved is certain). */
    @Nullable Weighted best() {
      return units.isEmpty() ? null : units.get(0);
    }
  }

  private ProductBelief() {}

  /**
   * The explanations of {@code resolution} for a change of {@code deltaGrams} (deviation {@code deltaSdGrams}) in a
   * bin stocked with {@code own}, where {@code artefact} tells how likely a change of no unit is.
   */
  static Explained of(ProductResolution resolution, Sku own, Map<Sku, Integer> candidates, double deltaGrams,
      double deltaSdGrams, Artefact artefact) {
    List<Weighted> weighted = new ArrayList<>();
    double sum = 0;
    int others = candidates.size() - (candidates.containsKey(own) ? 1 : 0);
    double otherPrior = deltaGrams > 0 ? OTHER_PRODUCT_PRIOR / Math.max(1, others) : OTHER_PRODUCT_PRIOR;
    for (ProductHypothesis h : resolution.hypotheses()) {
      if (!candidates.containsKey(h.sku())) {
        continue;
      }
      double prior = (h.sku().equals(own) ? 1 : otherPrior)
          * Math.pow(EXTRA_UNIT_PRIOR, Math.abs(h.quantity()) - 1);
      double w = prior * Math.exp(-h.zScore() * h.zScore() / 2);
      weighted.add(new Weighted(h.sku(), h.quantity(), w));
      sum += w;
    }
    double none = Math.exp(-UNEXPLAINED_Z * UNEXPLAINED_Z / 2);
    weighted.add(new Weighted(null, 0, none));
    sum += none;
    double nothing = artefact.weight(deltaGrams, deltaSdGrams);
    sum += nothing;
    List<Weighted> result = new ArrayList<>();
    for (Weighted w : weighted) {
      result.add(new Weighted(w.sku(), w.quantity(), w.probability() / sum));
    }
    result.sort(Comparator.comparingDouble(Weighted::probability).reversed()
        .thenComparing(w -> String.valueOf(w.sku()))
        .thenComparingInt(w -> Math.abs(w.quantity())));
    return new Explained(List.copyOf(result), nothing / sum);
  }
}
