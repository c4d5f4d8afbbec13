/**
 * The reference edge server: every default wired for one store ({@link dev.jwo.server.StoreServer}), and the
 * replay of store logs through the same pipeline as live input ({@link dev.jwo.server.Replay}).
 */
@NullMarked
package dev.jwo.server;

import org.jspecify.annotations.NullMarked;
