package dev.jwo.testing.cart;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simple {@link ProductResolver} for tests: a whole number of units of a candidate fits the change when their
 * catalog weight is within a fixed tolerance of it (a number of grams or a share of the weight, whichever is more).
 * It is confident when exactly one explanation fits. Unlike the default it weighs no probabilities; it only counts
 * the explanations that fit.
 */
public final class CatalogProductResolver implements ProductResolver {
  /** The most units of one product it considers at once. */
  static final int MAX_UNITS = 10;
  /** The load cell's noise assumed for z scores, in grams. */
  private static final double NOISE_GRAMS = 2;

  private final StoreLayout layout;
  private final double toleranceGrams;
  private final double toleranceShare;

  /** Fits within 10 g or 3% of the expected weight. */
  public CatalogProductResolver(StoreLayout layout) {
    this(layout, 10, 0.03);
  }

  public CatalogProductResolver(StoreLayout layout, double toleranceGrams, double toleranceShare) {
    if (!(toleranceGrams > 0) || !(toleranceShare >= 0)) {
      throw new IllegalArgumentException("tolerances must be positive");
    }
    this.layout = layout;
    this.toleranceGrams = toleranceGrams;
    this.toleranceShare = toleranceShare;
  }

  @Override
  public ProductResolution resolve(ShelfEvent event, Map<Sku, Integer> candidates) {
    double magnitude = Math.abs(event.deltaGrams());
    int sign = event.isRemoval() ? 1 : -1;
    List<Fit> fits = new ArrayList<>();
    for (Map.Entry<Sku, Integer> candidate : new TreeMap<>(candidates).entrySet()) {
      Product product = layout.product(candidate.getKey()).orElse(null);
      if (product == null) {
        continue;
      }
      for (int q = 1; q <= Math.min(MAX_UNITS, candidate.getValue()); q++) {
        double expected = q * product.unitWeightGrams();
        double error = Math.abs(magnitude - expected);
        if (error <= Math.max(toleranceGrams, toleranceShare * expected)) {
          double sd = Math.sqrt(q * product.weightSdGrams() * product.weightSdGrams() + 2 * NOISE_GRAMS * NOISE_GRAMS);
          fits.add(new Fit(new ProductHypothesis(product.sku(), sign * q, error / sd), error));
        }
      }
    }
    fits.sort(Comparator.comparingDouble(Fit::errorGrams)
        .thenComparing(f -> f.hypothesis().sku())
        .thenComparingInt(f -> Math.abs(f.hypothesis().quantity())));
    List<ProductHypothesis> hypotheses = fits.stream().map(Fit::hypothesis).toList();
    String change = String.format(Locale.ROOT, "%+.1f g in bin %s", event.deltaGrams(), event.bin());
    if (hypotheses.isEmpty()) {
      return new ProductResolution(hypotheses, false, "nothing in the catalog fits " + change);
    }
    ProductHypothesis best = hypotheses.get(0);
    String described = Math.abs(best.quantity()) + " x " + best.sku();
    if (hypotheses.size() > 1) {
      return new ProductResolution(hypotheses, false,
          hypotheses.size() + " explanations fit " + change + ", the closest " + described);
    }
    return new ProductResolution(hypotheses, true, change + " is " + described);
  }

  private record Fit(ProductHypothesis hypothesis, double errorGrams) {}
}
