/** The gRPC receipt service. */
@NullMarked
package dev.jwo.payments.grpc;

import org.jspecify.annotations.NullMarked;
