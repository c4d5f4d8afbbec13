/**
 * From load cells to carts: a {@link dev.jwo.cart.ShelfEventDetector} turns weight readings into shelf events,
 * a {@link dev.jwo.cart.ProductResolver} says which product and how many, a {@link dev.jwo.cart.PickAttributor}
 * says whose hand it was, and each visit's cart is an append-only ledger of what its party took and put back.
 */
@NullMarked
package dev.jwo.cart;

import org.jspecify.annotations.NullMarked;
