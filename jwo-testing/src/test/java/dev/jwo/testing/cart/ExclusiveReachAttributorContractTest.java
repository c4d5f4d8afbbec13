package dev.jwo.testing.cart;

import dev.jwo.cart.PickAttributor;

class ExclusiveReachAttributorContractTest extends PickAttributorContractKit {
  @Override
  protected PickAttributor newAttributor() {
    return new ExclusiveReachAttributor();
  }
}
