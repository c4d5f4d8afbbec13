/**
 * A store simulator that writes store logs (format version 1) together with their ground truth, and the scorer
 * that grades a replay's receipts against that truth. {@link dev.jwo.sim.Scenario} names what to simulate,
 * {@link dev.jwo.sim.Simulator} writes it, {@link dev.jwo.sim.score.Scorer} grades receipts.
 */
@NullMarked
package dev.jwo.sim;

import org.jspecify.annotations.NullMarked;
