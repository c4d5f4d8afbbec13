package dev.jwo.cart;

import dev.jwo.core.Bin;
import dev.jwo.core.visit.ShopperLocator;

/** Decides which visit's shopper made a shelf event, from where hands were. Must be deterministic. */
public interface PickAttributor {

  Attribution attribute(ShelfEvent event, Bin bin, ShopperLocator hands);
}
