/**
 * The shared vocabulary of the SDK: identifiers, {@link dev.jwo.core.Money}, positions and the store layout.
 * All values are immutable and validated on construction.
 */
@NullMarked
package dev.jwo.core;

import org.jspecify.annotations.NullMarked;
