package dev.jwo.payments.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.PaymentException;
import org.junit.jupiter.api.Test;

class SimulatedCardProcessorTest {
  static final Credential CARD = Credential.of("tok_visa_4242");

  private final SimulatedCardProcessor processor = new SimulatedCardProcessor();

  @Test
  void anAuthorizationRepeatedWithTheSameKeyGivesTheFirstAnswer() {
    AuthorizationResult first = processor.authorize(new AuthorizationRequest("v-1/authorize", CARD, usd(5_000)));
    AuthorizationResult again = processor.authorize(new AuthorizationRequest("v-1/authorize", CARD, usd(9_999)));
    AuthorizationResult other = processor.authorize(new AuthorizationRequest("v-2/authorize", CARD, usd(5_000)));

    assertThat(first.approved()).isTrue();
    assertThat(again).isEqualTo(first);
    assertThat(other.authorizationId()).isNotEqualTo(first.authorizationId());
    assertThat(processor.callsWithKey("v-1/authorize")).isEqualTo(2);
  }

  @Test
  void aCaptureChargesAtMostTheAuthorizedAmount() {
    String auth = authorize("v-1", 5_000);

    assertThatThrownBy(() -> processor.capture(new CaptureRequest("v-1/capture", auth, usd(5_001))))
        .isInstanceOfSatisfying(PaymentException.class, e -> assertThat(e.isRetriable()).isFalse())
        .hasMessageContaining("exceeds the authorized USD 50.00");
    CaptureResult capture = processor.capture(new CaptureRequest("v-1/capture-2", auth, usd(5_000)));

    assertThat(capture.amount()).isEqualTo(usd(5_000));
    assertThat(processor.captures()).containsExactly(capture);
  }

  @Test
  void anAuthorizationIsCapturedOnlyOnce_butARepeatedCaptureGivesTheFirstAnswer() {
    String auth = authorize("v-1", 5_000);
    CaptureResult first = processor.capture(new CaptureRequest("v-1/capture", auth, usd(398)));

    CaptureResult repeated = processor.capture(new CaptureRequest("v-1/capture", auth, usd(398)));
    assertThatThrownBy(() -> processor.capture(new CaptureRequest("v-1/capture-again", auth, usd(100))))
        .isInstanceOf(PaymentException.class)
        .hasMessageContaining("already captured");

    assertThat(repeated).isEqualTo(first);
    assertThat(processor.captures()).containsExactly(first);
  }

  @Test
  void aReleasedAuthorizationCannotBeCaptured() {
    String auth = authorize("v-1", 5_000);
    processor.release("v-1/release", auth);
    processor.release("v-1/release", auth);

    assertThatThrownBy(() -> processor.capture(new CaptureRequest("v-1/capture", auth, usd(398))))
        .isInstanceOf(PaymentException.class)
        .hasMessageContaining("already released");
    assertThat(processor.callsWithKey("v-1/release")).isEqualTo(2);
  }

  @Test
  void releasingACapturedAuthorizationDoesNotUndoTheCapture() {
    String auth = authorize("v-1", 5_000);
    CaptureResult capture = processor.capture(new CaptureRequest("v-1/capture", auth, usd(398)));

    processor.release("v-1/release", auth);

    assertThat(processor.captures()).containsExactly(capture);
    assertThat(processor.capture(new CaptureRequest("v-1/capture", auth, usd(398)))).isEqualTo(capture);
  }

  @Test
  void credentialsStartingWithDeclineAreDeclined() {
    AuthorizationResult declined =
        processor.authorize(new AuthorizationRequest("v-1/authorize", Credential.of("Decline-1"), usd(5_000)));

    assertThat(declined.approved()).isFalse();
    assertThat(declined.authorizationId()).isEmpty();
    assertThat(declined.declineReason()).contains("declined");
    assertThat(processor.authorize(new AuthorizationRequest("v-2/authorize", Credential.of("c-decline"), usd(1)))
        .approved()).isTrue();
  }

  @Test
  void aCaptureOfAnUnknownAuthorizationOrWithAKeyUsedForAnotherCallIsRefused() {
    authorize("v-1", 5_000);

    assertThatThrownBy(() -> processor.capture(new CaptureRequest("v-9/capture", "auth-404", usd(1))))
        .isInstanceOf(PaymentException.class).hasMessageContaining("no authorization 'auth-404'");
    assertThatThrownBy(() -> processor.capture(new CaptureRequest("v-1/authorize", "auth-1", usd(1))))
        .isInstanceOf(PaymentException.class).hasMessageContaining("already used for another kind of call");
    assertThat(processor.captures()).isEmpty();
  }

  private String authorize(String visit, long minor) {
    AuthorizationResult result = processor.authorize(new AuthorizationRequest(visit + "/authorize", CARD, usd(minor)));
    assertThat(result.approved()).isTrue();
    return result.authorizationId();
  }

  private static Money usd(long minor) {
    return Money.ofMinor(minor, "USD");
  }
}
