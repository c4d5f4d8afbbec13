/**
 * Contract-test kits of the cart SPIs ({@link dev.jwo.cart.ShelfEventDetector}, {@link dev.jwo.cart.ProductResolver},
 * {@link dev.jwo.cart.PickAttributor}), simple fakes that pass them, and a scripted
 * {@link dev.jwo.core.visit.ShopperLocator}.
 */
@NullMarked
package dev.jwo.testing.cart;

import org.jspecify.annotations.NullMarked;
