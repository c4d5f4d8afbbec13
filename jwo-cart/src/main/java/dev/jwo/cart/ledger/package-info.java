/** Event-sourced carts: each visit's cart is rebuilt from its append-only ledger in the journal. */
@NullMarked
package dev.jwo.cart.ledger;

import org.jspecify.annotations.NullMarked;
