/** The JDBC implementation of durable storage; not for retailers. */
@NullMarked
package dev.jwo.storage.internal;

import org.jspecify.annotations.NullMarked;
