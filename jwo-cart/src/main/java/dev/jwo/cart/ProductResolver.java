package dev.jwo.cart;

import dev.jwo.core.Sku;
import java.util.Map;

/**
 * Explains a shelf event as a quantity of a product, from the weight change and what the bin (or, for a put-back,
 * the shopper's cart) may hold. Must be deterministic.
 */
public interface ProductResolver {

  /**
   * @param event the settled change
   * @param candidates the products that could explain it, with how many units are available: for a removal, the
   *     bin's contents; for a put-back, what the shopper's cart holds (or the whole catalog when unknown)
   */
  ProductResolution resolve(ShelfEvent event, Map<Sku, Integer> candidates);
}
