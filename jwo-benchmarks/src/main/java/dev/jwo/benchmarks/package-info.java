/**
 * JMH benchmarks of storage: journal appends (one thread, sixteen threads, one thread with many appends in flight)
 * and cart rebuilds, for each storage ({@code memory}, {@code embedded}, {@code postgresql}).
 */
@NullMarked
package dev.jwo.benchmarks;

import org.jspecify.annotations.NullMarked;
