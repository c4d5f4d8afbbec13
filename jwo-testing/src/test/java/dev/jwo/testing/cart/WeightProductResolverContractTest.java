package dev.jwo.testing.cart;

import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.shelf.ShelfSettings;
import dev.jwo.cart.shelf.WeightProductResolver;
import dev.jwo.core.StoreLayout;

class WeightProductResolverContractTest extends ProductResolverContractKit {
  @Override
  protected ProductResolver newResolver(StoreLayout layout) {
    return new WeightProductResolver(layout, ShelfSettings.DEFAULTS);
  }
}
