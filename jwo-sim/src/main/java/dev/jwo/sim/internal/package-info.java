/** How the simulator builds a store and moves people and sensors; not for retailers, may change at any time. */
@NullMarked
package dev.jwo.sim.internal;

import org.jspecify.annotations.NullMarked;
