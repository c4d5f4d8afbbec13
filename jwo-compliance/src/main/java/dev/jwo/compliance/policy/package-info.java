/**
 * Jurisdiction policies as data (R1, R14): which data is biometric where, what consent, notices and retention the
 * law asks for, what it bans, and what a violation costs, each rule citing its statute section. A store's
 * jurisdiction string resolves to a {@link dev.jwo.compliance.policy.PolicySet}, the strictest combination.
 */
@NullMarked
package dev.jwo.compliance.policy;

import org.jspecify.annotations.NullMarked;
