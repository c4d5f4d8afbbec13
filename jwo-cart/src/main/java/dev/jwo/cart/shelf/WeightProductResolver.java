package dev.jwo.cart.shelf;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Explains a weight change as whole units of one product: for every candidate product and quantity it computes
 * how many standard deviations the change is from {@code quantity x unit weight} (unit weights vary per unit, and
 * the load cell adds noise at both ends of the change: the prior noise, or the event's own deviation if larger).
 * The best explanation is confident when it is within {@link ShelfSettings#maxZ()} and beats the next one by
 * {@link ShelfSettings#minZMargin()}.
 */
public final class WeightProductResolver implements ProductResolver {
  /** The most units of one product a hand is assumed to take or return at once. */
  static final int MAX_UNITS = 8;

  private final StoreLayout layout;
  private final ShelfSettings settings;

  @Inject
  public WeightProductResolver(StoreLayout layout, ShelfSettings settings) {
    this.layout = layout;
    this.settings = settings;
  }

  @Override
  public ProductResolution resolve(ShelfEvent event, Map<Sku, Integer> candidates) {
    double magnitude = Math.abs(event.deltaGrams());
    int sign = event.isRemoval() ? 1 : -1;
    // The load cell's noise at both ends of the change, or the detector's own estimate where it is larger.
    double noiseVariance = Math.max(2 * settings.sensorNoiseGrams() * settings.sensorNoiseGrams(),
        event.deltaSdGrams() * event.deltaSdGrams());
    List<ProductHypothesis> hypotheses = new ArrayList<>();
    candidates.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(candidate -> {
          Product product = layout.product(candidate.getKey()).orElse(null);
          if (product == null) {
            return;
          }
          int most = Math.min(MAX_UNITS, Math.max(1, candidate.getValue()));
          for (int q = 1; q <= most; q++) {
            double expected = q * product.unitWeightGrams();
            double sd = Math.sqrt(q * product.weightSdGrams() * product.weightSdGrams() + noiseVariance);
            double z = Math.abs(magnitude - expected) / sd;
            if (z <= 2 * settings.maxZ()) {
              hypotheses.add(new ProductHypothesis(product.sku(), sign * q, z));
            }
          }
        });
    hypotheses.sort(Comparator.comparingDouble(ProductHypothesis::zScore)
        .thenComparing(ProductHypothesis::sku)
        .thenComparingInt(h -> Math.abs(h.quantity())));
    if (hypotheses.isEmpty() || hypotheses.get(0).zScore() > settings.maxZ()) {
      return new ProductResolution(hypotheses, false, String.format(Locale.ROOT,
          "no product explains a change of %+.1f g in bin %s", event.deltaGrams(), event.bin()));
    }
    ProductHypothesis best = hypotheses.get(0);
    if (hypotheses.size() > 1 && hypotheses.get(1).zScore() - best.zScore() < settings.minZMargin()) {
      ProductHypothesis next = hypotheses.get(1);
      return new ProductResolution(hypotheses, false, String.format(Locale.ROOT,
          "a change of %+.1f g in bin %s fits %d x %s (z %.1f) about as well as %d x %s (z %.1f)",
          event.deltaGrams(), event.bin(), Math.abs(best.quantity()), best.sku(), best.zScore(),
          Math.abs(next.quantity()), next.sku(), next.zScore()));
    }
    return new ProductResolution(hypotheses, true, String.format(Locale.ROOT,
        "%+.1f g in bin %s is %d x %s (z %.1f)",
        event.deltaGrams(), event.bin(), Math.abs(best.quantity()), best.sku(), best.zScore()));
  }
}
