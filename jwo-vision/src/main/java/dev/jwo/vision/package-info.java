/**
 * Person tracking on the store floor: a {@link dev.jwo.vision.PersonTracker} turns camera frames into tracks;
 * tracks are linked to the party admitted at the entry gate and matched to exits. Camera features of a biometric
 * kind are used only when the compliance guard allows; otherwise tracking runs on positions alone.
 */
@NullMarked
package dev.jwo.vision;

import org.jspecify.annotations.NullMarked;
