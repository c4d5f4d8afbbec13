package dev.jwo.payments;

/**
 * A card processor. The SDK places a hold when a party is admitted, raises it when the cart outgrows it, captures
 * when the visit is charged, voids the hold of an empty cart, and refunds what a shopper contests. Implementations
 * must be thread-safe and idempotent per key: a call repeated with the same idempotency key (after a timeout, or
 * by a server recovering from a crash) returns the first result and has no further effect. A decline is a result;
 * {@link PaymentException} is for calls that got no answer ({@linkplain PaymentException#isRetriable() retriable})
 * or were refused as invalid (not retriable).
 */
public interface PaymentProvider {

  /** @throws PaymentException when the processor cannot be reached or answers with an error */
  AuthorizationResult authorize(AuthorizationRequest request);

  /**
   * Raises an open authorization; an approved result carries the authorization's new total.
   *
   * @throws PaymentException when the processor cannot be reached, or the authorization is unknown or closed
   */
  AuthorizationResult incrementAuthorization(IncrementRequest request);

  /** @throws PaymentException when the processor cannot be reached, or the capture is not allowed */
  CaptureResult capture(CaptureRequest request);

  /**
   * Voids an authorization's hold without charging it.
   *
   * @throws PaymentException when the processor cannot be reached
   */
  void release(String idempotencyKey, String authorizationId);

  /**
   * Refunds part or all of a capture.
   *
   * @throws PaymentException when the processor cannot be reached, the capture is unknown, or the amount exceeds
   *     what is left of it
   */
  RefundResult refund(RefundRequest request);
}
