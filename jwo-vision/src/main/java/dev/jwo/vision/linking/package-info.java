/** Linking tracks to the party admitted at the entry gate, continuing lost tracks, and matching exits. */
@NullMarked
package dev.jwo.vision.linking;

import org.jspecify.annotations.NullMarked;
