package dev.jwo.testing.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PaymentProvider} must keep for the SDK to charge each visit exactly once. Subclass it
 * in your provider's tests and implement {@link #newProvider()}; the kit uses {@link #approvedCredential()} for
 * cards that are approved and {@link #declinedCredential()} for a card that is declined.
 */
public abstract class PaymentProviderContractKit {
  protected static final Money TEN = Money.ofMinor(1_000, "USD");
  protected static final Money FIVE = Money.ofMinor(500, "USD");

  private PaymentProvider provider;

  /** A fresh provider, as if nothing had ever been charged. */
  protected abstract PaymentProvider newProvider();

  /** A credential the provider approves. */
  protected Credential approvedCredential() {
    return Credential.of("tok-approved-" + UUID.randomUUID());
  }

  /** A credential the provider declines. */
  protected abstract Credential declinedCredential();

  @BeforeEach
  void setUpProvider() {
    provider = newProvider();
  }

  private String key() {
    return "kit-" + UUID.randomUUID();
  }

  @Test
  void authorizationOfAnApprovedCardHoldsTheAmount() {
    AuthorizationResult result = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    assertThat(result.approved()).isTrue();
    assertThat(result.authorizationId()).isNotBlank();
    assertThat(result.amount()).isEqualTo(TEN);
  }

  @Test
  void declineIsAnAnswerNotAnError() {
    AuthorizationResult result = provider.authorize(new AuthorizationRequest(key(), declinedCredential(), TEN));
    assertThat(result.approved()).isFalse();
    assertThat(result.declineReason()).isNotBlank();
  }

  @Test
  void repeatedAuthorizationWithTheSameKeyReturnsTheFirstAnswer() {
    String key = key();
    Credential card = approvedCredential();
    AuthorizationResult first = provider.authorize(new AuthorizationRequest(key, card, TEN));
    AuthorizationResult again = provider.authorize(new AuthorizationRequest(key, card, TEN));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void captureChargesAtMostTheAuthorizedAmount() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    CaptureResult capture = provider.capture(new CaptureRequest(key(), auth.authorizationId(), FIVE));
    assertThat(capture.amount()).isEqualTo(FIVE);
    assertThat(capture.captureId()).isNotBlank();
  }

  @Test
  void captureAboveTheAuthorizationIsRefused() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), FIVE));
    assertThatThrownBy(() -> provider.capture(new CaptureRequest(key(), auth.authorizationId(), TEN)))
        .isInstanceOf(PaymentException.class)
        .satisfies(e -> assertThat(((PaymentException) e).isRetriable()).isFalse());
  }

  @Test
  void repeatedCaptureWithTheSameKeyChargesOnce() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    String key = key();
    CaptureResult first = provider.capture(new CaptureRequest(key, auth.authorizationId(), FIVE));
    CaptureResult again = provider.capture(new CaptureRequest(key, auth.authorizationId(), FIVE));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aSecondCaptureOfOneAuthorizationWithAnotherKeyIsRefused() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    provider.capture(new CaptureRequest(key(), auth.authorizationId(), FIVE));
    assertThatThrownBy(() -> provider.capture(new CaptureRequest(key(), auth.authorizationId(), FIVE)))
        .isInstanceOf(PaymentException.class);
  }

  @Test
  void captureOfAnUnknownAuthorizationIsRefused() {
    assertThatThrownBy(() -> provider.capture(new CaptureRequest(key(), "no-such-authorization", FIVE)))
        .isInstanceOf(PaymentException.class);
  }

  @Test
  void releasedAuthorizationCannotBeCaptured() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    provider.release(key(), auth.authorizationId());
    assertThatThrownBy(() -> provider.capture(new CaptureRequest(key(), auth.authorizationId(), FIVE)))
        .isInstanceOf(PaymentException.class);
  }

  @Test
  void releaseIsIdempotent() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    String key = key();
    provider.release(key, auth.authorizationId());
    provider.release(key, auth.authorizationId());
  }

  @Test
  void anIncrementRaisesTheHoldSoThatALargerTotalCanBeCaptured() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), FIVE));
    AuthorizationResult raised =
        provider.incrementAuthorization(new IncrementRequest(key(), auth.authorizationId(), FIVE));
    assertThat(raised.approved()).isTrue();
    assertThat(raised.amount()).isEqualTo(TEN);
    CaptureResult capture = provider.capture(new CaptureRequest(key(), raised.authorizationId(), TEN));
    assertThat(capture.amount()).isEqualTo(TEN);
  }

  @Test
  void repeatedIncrementWithTheSameKeyRaisesOnce() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), FIVE));
    String key = key();
    AuthorizationResult first = provider.incrementAuthorization(new IncrementRequest(key, auth.authorizationId(), FIVE));
    AuthorizationResult again = provider.incrementAuthorization(new IncrementRequest(key, auth.authorizationId(), FIVE));
    assertThat(again).isEqualTo(first);
    assertThatThrownBy(() -> provider.capture(new CaptureRequest(key(), auth.authorizationId(), TEN.plus(FIVE))))
        .isInstanceOf(PaymentException.class);
  }

  @Test
  void anIncrementOfAReleasedAuthorizationIsRefused() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), FIVE));
    provider.release(key(), auth.authorizationId());
    assertThatThrownBy(() -> provider.incrementAuthorization(new IncrementRequest(key(), auth.authorizationId(), FIVE)))
        .isInstanceOf(PaymentException.class)
        .satisfies(e -> assertThat(((PaymentException) e).isRetriable()).isFalse());
  }

  @Test
  void refundsGiveBackAtMostWhatWasCaptured() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    CaptureResult capture = provider.capture(new CaptureRequest(key(), auth.authorizationId(), TEN));
    RefundResult part = provider.refund(new RefundRequest(key(), capture.captureId(), FIVE));
    assertThat(part.amount()).isEqualTo(FIVE);
    assertThat(part.refundId()).isNotBlank();
    RefundResult rest = provider.refund(new RefundRequest(key(), capture.captureId(), FIVE));
    assertThat(rest.refundId()).isNotEqualTo(part.refundId());
    assertThatThrownBy(() -> provider.refund(new RefundRequest(key(), capture.captureId(), Money.ofMinor(1, "USD"))))
        .isInstanceOf(PaymentException.class)
        .satisfies(e -> assertThat(((PaymentException) e).isRetriable()).isFalse());
  }

  @Test
  void repeatedRefundWithTheSameKeyRefundsOnce() {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    CaptureResult capture = provider.capture(new CaptureRequest(key(), auth.authorizationId(), TEN));
    String key = key();
    RefundResult first = provider.refund(new RefundRequest(key, capture.captureId(), FIVE));
    RefundResult again = provider.refund(new RefundRequest(key, capture.captureId(), FIVE));
    assertThat(again).isEqualTo(first);
    provider.refund(new RefundRequest(key(), capture.captureId(), FIVE));
    assertThatThrownBy(() -> provider.refund(new RefundRequest(key(), capture.captureId(), FIVE)))
        .isInstanceOf(PaymentException.class);
  }

  @Test
  void refundOfAnUnknownCaptureIsRefused() {
    assertThatThrownBy(() -> provider.refund(new RefundRequest(key(), "no-such-capture", FIVE)))
        .isInstanceOf(PaymentException.class);
  }

  @Test
  void concurrentRepeatsOfOneCaptureChargeOnce() throws Exception {
    AuthorizationResult auth = provider.authorize(new AuthorizationRequest(key(), approvedCredential(), TEN));
    String key = key();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<CaptureResult>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> provider.capture(new CaptureRequest(key, auth.authorizationId(), FIVE)));
      }
      List<CaptureResult> results = new ArrayList<>();
      for (Future<CaptureResult> f : pool.invokeAll(calls)) {
        results.add(f.get());
      }
      assertThat(results).extracting(CaptureResult::captureId).containsOnly(results.get(0).captureId());
    } finally {
      pool.shutdownNow();
    }
  }
}
