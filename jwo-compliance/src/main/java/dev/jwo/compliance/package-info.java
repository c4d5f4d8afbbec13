/**
 * Biometric privacy by construction. Every module asks the {@link dev.jwo.compliance.ComplianceGuard} before it
 * uses or keeps personal data; what is denied is dropped at the door.
 */
@NullMarked
package dev.jwo.compliance;

import org.jspecify.annotations.NullMarked;
