/**
 * The biometric vault (R7, R10): everything biometric that is kept is sealed with AES-256-GCM under a key of the
 * person's own, itself wrapped by the store's master key; destroying the person's key makes every copy unreadable.
 */
@NullMarked
package dev.jwo.compliance.vault;

import org.jspecify.annotations.NullMarked;
