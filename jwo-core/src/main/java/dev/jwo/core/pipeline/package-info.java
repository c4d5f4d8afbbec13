/**
 * The per-store event pipeline: it validates sensor events, puts them in event-time order within a bounded
 * reordering window, and hands them to the stages that track people, read shelves and settle visits. The same
 * input always gives the same output.
 */
@NullMarked
package dev.jwo.core.pipeline;

import org.jspecify.annotations.NullMarked;
