/**
 * The default {@link dev.jwo.compliance.ComplianceGuard}: the store's jurisdiction policies, its modality switches,
 * its published documents and the consent ledger, asked at the instant of each use.
 */
@NullMarked
package dev.jwo.compliance.guard;

import org.jspecify.annotations.NullMarked;
