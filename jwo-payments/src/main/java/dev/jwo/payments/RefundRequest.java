package dev.jwo.payments;

import dev.jwo.core.Money;
import java.util.Objects;

/**
 * Asks to give back {@code amount} of a capture (whole or in part; several refunds may follow one capture, up to
 * what it charged). Repeating a request with the same {@code idempotencyKey} must return the first answer and
 * refund nothing more.
 */
public record RefundRequest(String idempotencyKey, String captureId, Money amount) {
  public RefundRequest {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(captureId, "captureId");
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative() || amount.isZero()) {
      throw new IllegalArgumentException("a refund amount must be positive");
    }
  }
}
