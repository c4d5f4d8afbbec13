/** The ground truth a simulation writes beside its store log, and its reader. See {@code TRUTH-FORMAT.md}. */
@NullMarked
package dev.jwo.sim.truth;

import org.jspecify.annotations.NullMarked;
