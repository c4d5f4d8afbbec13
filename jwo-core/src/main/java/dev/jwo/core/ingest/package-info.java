/**
 * Durable sensor input: the write-ahead log through which live input reaches the pipeline, so that a server
 * killed at any instant rebuilds its state by replaying what it had acknowledged.
 */
@NullMarked
package dev.jwo.core.ingest;

import org.jspecify.annotations.NullMarked;
