/**
 * The audit chain (R11): append-only, hash-chained records of policy publications, consents, captures, uses,
 * disclosures and destructions, kept in the storage SPI, and a verifier that says where the chain was changed.
 */
@NullMarked
package dev.jwo.compliance.audit;

import org.jspecify.annotations.NullMarked;
