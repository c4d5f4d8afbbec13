/**
 * Scripted store scenarios for tests: a small store layout and shoppers whose every step is written out, turned
 * into the sensor events a real store would report, with the receipts they should produce.
 */
@NullMarked
package dev.jwo.testing.scenario;

import org.jspecify.annotations.NullMarked;
