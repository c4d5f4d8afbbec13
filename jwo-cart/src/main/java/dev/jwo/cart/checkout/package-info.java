/** Checkout: when a visit has ended, decide whether to charge it or hold it for review, and settle it. */
@NullMarked
package dev.jwo.cart.checkout;

import org.jspecify.annotations.NullMarked;
