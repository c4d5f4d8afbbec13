/** Operating a served store: the HTTP endpoint for metrics and health, and the store's standard meters. */
@NullMarked
package dev.jwo.server.ops;

import org.jspecify.annotations.NullMarked;
