package dev.jwo.testing.cart;

import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.cart.shelf.SettlingShelfDetector;
import dev.jwo.cart.shelf.ShelfSettings;
import dev.jwo.core.StoreLayout;

class SettlingShelfDetectorContractTest extends ShelfEventDetectorContractKit {
  @Override
  protected ShelfEventDetector newDetector() {
    return new SettlingShelfDetector(ShelfSettings.DEFAULTS);
  }

  @Override
  protected ShelfEventDetector newDetector(StoreLayout layout) {
    return new SettlingShelfDetector(ShelfSettings.DEFAULTS, layout);
  }
}
