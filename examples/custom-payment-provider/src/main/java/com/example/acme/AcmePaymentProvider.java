package com.example.acme;

import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import dev.jwo.core.Money;
import jakarta.inject.Inject;

/**
 * The SDK's {@link PaymentProvider} on top of the retailer's AcmePay gateway. The SDK's idempotency keys become
 * AcmePay request ids, so a call the SDK repeats (after a timeout, or after the server restarted) charges once.
 */
public final class AcmePaymentProvider implements PaymentProvider {
  private final AcmePayGateway gateway;

  @Inject
  public AcmePaymentProvider(AcmePayGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public AuthorizationResult authorize(AuthorizationRequest request) {
    AcmePayGateway.Response response =
        gateway.hold(request.idempotencyKey(), request.credential().reveal(), request.amount().minor());
    return response.ok()
        ? AuthorizationResult.approved(response.reference(), request.amount())
        : AuthorizationResult.declined(request.amount(), "AcmePay: " + response.errorCode());
  }

  @Override
  public CaptureResult capture(CaptureRequest request) {
    AcmePayGateway.Response response =
        gateway.settle(request.idempotencyKey(), request.authorizationId(), request.amount().minor());
    if (!response.ok()) {
      throw new PaymentException("AcmePay refused the settlement: " + response.errorCode(), false);
    }
    return new CaptureResult(response.reference(), request.amount());
  }

  @Override
  public void release(String idempotencyKey, String authorizationId) {
    gateway.cancel(idempotencyKey, authorizationId);
  }

  @Override
  public AuthorizationResult incrementAuthorization(IncrementRequest request) {
    AcmePayGateway.Response response =
        gateway.raise(request.idempotencyKey(), request.authorizationId(), request.additional().minor());
    if (!response.ok()) {
      throw new PaymentException("AcmePay refused to raise the hold: " + response.errorCode(), false);
    }
    return AuthorizationResult.approved(response.reference(),
        new Money(gateway.held(response.reference()), request.additional().currency()));
  }

  @Override
  public RefundResult refund(RefundRequest request) {
    AcmePayGateway.Response response =
        gateway.giveBack(request.idempotencyKey(), request.captureId(), request.amount().minor());
    if (!response.ok()) {
      throw new PaymentException("AcmePay refused the refund: " + response.errorCode(), false);
    }
    return new RefundResult(response.reference(), request.amount());
  }
}
