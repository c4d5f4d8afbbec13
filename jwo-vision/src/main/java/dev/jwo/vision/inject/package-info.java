/** Guice wiring of the vision module. */
@NullMarked
package dev.jwo.vision.inject;

import org.jspecify.annotations.NullMarked;
