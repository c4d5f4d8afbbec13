/**
 * Compliance's part of the pipeline: documents published before the first event, consent recorded from entries,
 * retention driven by the store's event time, and the purpose of a visit's biometric data ended with the visit.
 */
@NullMarked
package dev.jwo.compliance.visit;

import org.jspecify.annotations.NullMarked;
