/** Contract-test kit for pipeline stages that can be snapshotted, and a fake one. */
@NullMarked
package dev.jwo.testing.pipeline;

import org.jspecify.annotations.NullMarked;
