package dev.jwo.payments;

import dev.jwo.core.Money;
import java.util.Objects;

/**
 * Asks to raise an open authorization by {@code additional}, when a cart outgrows its hold. Repeating a request
 * with the same {@code idempotencyKey} must return the first answer and raise nothing more.
 */
public record IncrementRequest(String idempotencyKey, String authorizationId, Money additional) {
  public IncrementRequest {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(authorizationId, "authorizationId");
    Objects.requireNonNull(additional, "additional");
    if (additional.isNegative() || additional.isZero()) {
      throw new IllegalArgumentException("an increment must be positive");
    }
  }
}
