/** Grading of a replay's receipts against ground truth, as the store-log specification's last section defines. */
@NullMarked
package dev.jwo.sim.score;

import org.jspecify.annotations.NullMarked;
