/** Guice wiring of the core: the store, the pipeline, the gRPC server and the extension points other modules use. */
@NullMarked
package dev.jwo.core.inject;

import org.jspecify.annotations.NullMarked;
