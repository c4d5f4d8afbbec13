/** Guice wiring of the payments module. */
@NullMarked
package dev.jwo.payments.inject;

import org.jspecify.annotations.NullMarked;
