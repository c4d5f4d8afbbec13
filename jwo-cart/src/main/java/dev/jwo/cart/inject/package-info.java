/** Guice wiring of the cart module. */
@NullMarked
package dev.jwo.cart.inject;

import org.jspecify.annotations.NullMarked;
