/** The store's boundary for camera features: what may be received, sealed or must be removed before it is written. */
@NullMarked
package dev.jwo.compliance.intake;

import org.jspecify.annotations.NullMarked;
