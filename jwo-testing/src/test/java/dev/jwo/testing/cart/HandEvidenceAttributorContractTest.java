package dev.jwo.testing.cart;

import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.shelf.AttributionSettings;
import dev.jwo.cart.shelf.HandEvidenceAttributor;
import dev.jwo.cart.shelf.ShelfSettings;
import java.util.List;

class HandEvidenceAttributorContractTest extends PickAttributorContractKit {
  @Override
  protected PickAttributor newAttributor() {
    return new HandEvidenceAttributor(List.of(BIN), ShelfSettings.DEFAULTS, AttributionSettings.DEFAULTS);
  }
}
