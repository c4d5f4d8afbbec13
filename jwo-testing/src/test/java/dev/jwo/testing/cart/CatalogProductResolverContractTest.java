package dev.jwo.testing.cart;

import dev.jwo.cart.ProductResolver;
import dev.jwo.core.StoreLayout;

class CatalogProductResolverContractTest extends ProductResolverContractKit {
  @Override
  protected ProductResolver newResolver(StoreLayout layout) {
    return new CatalogProductResolver(layout);
  }
}
