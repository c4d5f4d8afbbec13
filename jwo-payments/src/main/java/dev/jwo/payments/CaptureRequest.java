package dev.jwo.payments;

import dev.jwo.core.Money;
import java.util.Objects;

/**
 * Asks to charge {@code amount} (at most what was authorized) against an authorization. Repeating a request
 * with the same {@code idempotencyKey} must return the first answer and charge nothing more.
 */
public record CaptureRequest(String idempotencyKey, String authorizationId, Money amount) {
  public CaptureRequest {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(authorizationId, "authorizationId");
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative() || amount.isZero()) {
      throw new IllegalArgumentException("a capture amount must be positive");
    }
  }
}
