package dev.jwo.testing.cart;

import dev.jwo.cart.ShelfEventDetector;

class ThresholdShelfDetectorContractTest extends ShelfEventDetectorContractKit {
  @Override
  protected ShelfEventDetector newDetector() {
    return new ThresholdShelfDetector();
  }
}
