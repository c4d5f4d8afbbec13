/**
 * The exposure report (R13): biometric captures with and without valid consent, per jurisdiction, priced at the
 * statutory damages, so a retailer sees its risk before a plaintiff does.
 */
@NullMarked
package dev.jwo.compliance.exposure;

import org.jspecify.annotations.NullMarked;
