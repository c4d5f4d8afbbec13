/** The contract-test kit of {@link dev.jwo.vision.PersonTracker}, and a simple tracker that passes it. */
@NullMarked
package dev.jwo.testing.vision;

import org.jspecify.annotations.NullMarked;
