package dev.jwo.payments;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A payment provider that passes every call on to another, each through {@link #call}: a subclass adds what it needs
 * around every call (metrics, a circuit breaker, faults in a test) by overriding that one method, and around one kind
 * of call by overriding it and calling {@code super}.
 */
public abstract class ForwardingPaymentProvider implements PaymentProvider {
  private final PaymentProvider delegate;

  protected ForwardingPaymentProvider(PaymentProvider delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The provider every call is passed on to. */
  protected final PaymentProvider delegate() {
    return delegate;
  }

  /**
   * Makes one call to the delegate, named by {@code operation} ("authorize", "incrementAuthorization", "capture",
   * "release" or "refund"); the default just makes it.
   */
  protected <T> T call(String operation, Supplier<T> call) {
    return call.get();
  }

  @Override
  public AuthorizationResult authorize(AuthorizationRequest request) {
    return call("authorize", () -> delegate.authorize(request));
  }

  @Override
  public AuthorizationResult incrementAuthorization(IncrementRequest request) {
    return call("incrementAuthorization", () -> delegate.incrementAuthorization(request));
  }

  @Override
  public CaptureResult capture(CaptureRequest request) {
    return call("capture", () -> delegate.capture(request));
  }

  @Override
  public void release(String idempotencyKey, String authorizationId) {
    call("release", () -> {
      delegate.release(idempotencyKey, authorizationId);
      return Boolean.TRUE;
    });
  }

  @Override
  public RefundResult refund(RefundRequest request) {
    return call("refund", () -> delegate.refund(request));
  }
}
