/** Storage kept in memory only: for unit tests and throw-away runs. Nothing survives the process. */
@NullMarked
package dev.jwo.core.storage.memory;

import org.jspecify.annotations.NullMarked;
