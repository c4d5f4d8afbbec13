/** Sessions and parties: which visits are in the store, who came and went, and when a visit ends. */
@NullMarked
package dev.jwo.cart.session;

import org.jspecify.annotations.NullMarked;
