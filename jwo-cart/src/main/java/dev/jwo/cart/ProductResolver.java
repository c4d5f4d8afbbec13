package dev.jwo.cart;

import dev.jwo.core.Sku;
import java.util.Map;

/**
 * Explains a shelf event as a quantity of a product, from the weight change and what the bin (or, for a put-back,
 * the shopper's cart) may hold. Must be deterministic, and must not depend on the iteration order of the
 * candidates.
 *
 * <p>Every hypothesis names a candidate that is in the store's catalog, never more units of it than are
 * available, with a positive quantity for a removal and a negative one for a put-back, and a {@code zScore} that
 * is a non-negative number. A resolution is confident only when its best hypothesis explains the change clearly:
 * not when no candidate fits the weight, nor when two explanations fit about equally well (one unit of a heavy
 * product or two of a light one). Its explanation is for the person who reviews the visit; it is never blank.
 */
public interface ProductResolver {

  /**
   * @param event the settled change
   * @param candidates the products that could explain it, with how many units are available (at least one each):
   *     for a removal, the bin's contents; for a put-back, what the shopper's cart holds (or the whole catalog when
   *     unknown); may be empty
   */
  ProductResolution resolve(ShelfEvent event, Map<Sku, Integer> candidates);
}
