package dev.jwo.payments;

import org.jspecify.annotations.Nullable;

/**
 * A payment call failed without an answer (a timeout, an outage) or was refused as invalid. When
 * {@link #isRetriable()}, the same request with the same idempotency key may be sent again.
 */
public final class PaymentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public PaymentException(String message, boolean retriable) {
    this(message, retriable, null);
  }

  public PaymentException(String message, boolean retriable, @Nullable Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean isRetriable() {
    return retriable;
  }
}
