package dev.jwo.payments;

/**
 * A card processor. The SDK pre-authorizes when a party is admitted and captures when its visit is charged.
 * Implementations must be thread-safe and idempotent per key: a call repeated with the same idempotency key
 * (after a timeout, or by a server recovering from a crash) returns the first result and has no further effect.
 * A decline is a result; {@link PaymentException} is for calls that got no answer or were invalid.
 */
public interface PaymentProvider {

  /** @throws PaymentException when the processor cannot be reached or answers with an error */
  AuthorizationResult authorize(AuthorizationRequest request);

  /** @throws PaymentException when the processor cannot be reached, or the capture is not allowed */
  CaptureResult capture(CaptureRequest request);

  /**
   * Releases an authorization's hold without charging it.
   *
   * @throws PaymentException when the processor cannot be reached
   */
  void release(String idempotencyKey, String authorizationId);
}
