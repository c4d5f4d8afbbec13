/**
 * The consent ledger (R2, R12): the disclosures shoppers read, the releases they signed (with electronic signature
 * evidence, channel, time and modalities) and their withdrawals, kept in the storage SPI and queryable at the
 * instant of a capture.
 */
@NullMarked
package dev.jwo.compliance.consent;

import org.jspecify.annotations.NullMarked;
