/** The gRPC services of the cart module: sessions (admit a party) and carts (get, watch live). */
@NullMarked
package dev.jwo.cart.grpc;

import org.jspecify.annotations.NullMarked;
