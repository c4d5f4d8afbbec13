/**
 * The default person tracker: a constant-velocity Kalman filter per person and a global assignment of each frame's
 * detections to tracks on the floor plane.
 */
@NullMarked
package dev.jwo.vision.tracking;

import org.jspecify.annotations.NullMarked;
