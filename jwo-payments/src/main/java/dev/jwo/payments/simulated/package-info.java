/** A payment provider that behaves like a card processor, in memory: the default for demos and tests. */
@NullMarked
package dev.jwo.payments.simulated;

import org.jspecify.annotations.NullMarked;
