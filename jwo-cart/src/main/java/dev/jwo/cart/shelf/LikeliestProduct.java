package dev.jwo.cart.shelf;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Sku;
import java.util.Map;
import java.util.Optional;

/**
 * The units the shelf stage records for a change, if a unit moved: the resolver's explanations weighed by their
 * fit and a prior that favours the bin's own product and fewer units, as {@link ShelfStage} weighs them. The
 * resolver's own best is the closest fit alone, which between two products of nearly one weight is a coin toss.
 */
public final class LikeliestProduct {
  private LikeliestProduct() {}

  /**
   * The likeliest explanation of {@code event} among {@code candidates}, for a bin stocked with {@code own}; empty
   * when none of the candidates explains it better than "none of these".
   */
  public static Optional<ProductHypothesis> of(ShelfEvent event, ProductResolution resolution, Sku own,
      Map<Sku, Integer> candidates) {
    ProductBelief.Weighted best = ProductBelief.of(resolution, own, candidates, event.deltaGrams(),
        event.deltaSdGrams(), ProductBelief.Artefact.TOUCHED).units().get(0);
    Sku sku = best.sku();
    if (sku == null) {
      return Optional.empty();
    }
    return resolution.hypotheses().stream()
        .filter(h -> h.sku().equals(sku) && h.quantity() == best.quantity())
        .findFirst();
  }
}
