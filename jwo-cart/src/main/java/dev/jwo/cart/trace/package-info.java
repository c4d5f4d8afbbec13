/** Decision traces: every shelf event's and receipt's decision with its evidence, written as JSON lines. */
@NullMarked
package dev.jwo.cart.trace;

import org.jspecify.annotations.NullMarked;
