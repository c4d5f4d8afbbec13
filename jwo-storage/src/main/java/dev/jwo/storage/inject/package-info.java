/** Guice wiring of durable storage. */
@NullMarked
package dev.jwo.storage.inject;

import org.jspecify.annotations.NullMarked;
