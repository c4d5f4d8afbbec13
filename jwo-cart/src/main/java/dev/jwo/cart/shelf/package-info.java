/** Default shelf stages: settling detection of load changes, weight-based product resolution, nearest-hand attribution. */
@NullMarked
package dev.jwo.cart.shelf;

import org.jspecify.annotations.NullMarked;
