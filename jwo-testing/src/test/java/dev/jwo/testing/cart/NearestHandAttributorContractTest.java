package dev.jwo.testing.cart;

import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.shelf.NearestHandAttributor;
import dev.jwo.cart.shelf.ShelfSettings;

class NearestHandAttributorContractTest extends PickAttributorContractKit {
  @Override
  protected PickAttributor newAttributor() {
    return new NearestHandAttributor(ShelfSettings.DEFAULTS);
  }
}
