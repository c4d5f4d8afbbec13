package dev.jwo.payments;

import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import java.util.Objects;

/**
 * Asks to hold {@code amount} on the card behind {@code credential}. Repeating a request with the same
 * {@code idempotencyKey} must return the first answer and hold nothing more.
 */
public record AuthorizationRequest(String idempotencyKey, Credential credential, Money amount) {
  public AuthorizationRequest {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("an authorization amount must not be negative");
    }
  }
}
