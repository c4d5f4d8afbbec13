/** The {@code jwo} command line: serve, replay, demo and the simulator's commands. */
@NullMarked
package dev.jwo.server.cli;

import org.jspecify.annotations.NullMarked;
