/**
 * The purpose guard on every export path (R8): personal data leaves the store only for an allowed purpose, biometric
 * categories only to complete the payment the shopper asked for, under a recorded legal order, or to the person
 * themself; every attempt, allowed or refused, is recorded in the audit chain.
 */
@NullMarked
package dev.jwo.compliance.export;

import org.jspecify.annotations.NullMarked;
