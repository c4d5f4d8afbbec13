/** The default person tracker: nearest-neighbour association of detections to tracks on the floor plane. */
@NullMarked
package dev.jwo.vision.tracking;

import org.jspecify.annotations.NullMarked;
