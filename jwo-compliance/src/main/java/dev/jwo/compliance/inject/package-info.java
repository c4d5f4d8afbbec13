/** Guice wiring of the compliance module. */
@NullMarked
package dev.jwo.compliance.inject;

import org.jspecify.annotations.NullMarked;
