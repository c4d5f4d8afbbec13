/**
 * Retention on schedule (R6): a deadline per kept biometric datum from the earliest applicable trigger, kept in the
 * storage SPI so destruction happens on time after a restart too, and legal holds that only a recorded warrant or
 * subpoena reference can place.
 */
@NullMarked
package dev.jwo.compliance.retention;

import org.jspecify.annotations.NullMarked;
