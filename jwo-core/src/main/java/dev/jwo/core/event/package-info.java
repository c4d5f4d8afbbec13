/** Sensor events: what gates, load cells and cameras report, stamped with event time. */
@NullMarked
package dev.jwo.core.event;

import org.jspecify.annotations.NullMarked;
