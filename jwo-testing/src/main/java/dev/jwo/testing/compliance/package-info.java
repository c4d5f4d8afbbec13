/**
 * Test support for the compliance SPIs: a contract kit any {@link dev.jwo.compliance.ComplianceGuard} can run, a
 * scriptable fake guard, and a way to give a scripted store face cameras and signed releases.
 */
@NullMarked
package dev.jwo.testing.compliance;

import org.jspecify.annotations.NullMarked;
