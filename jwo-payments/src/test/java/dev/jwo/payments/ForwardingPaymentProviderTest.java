package dev.jwo.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ForwardingPaymentProviderTest {
  static final Credential CARD = Credential.of("tok_visa_4242");

  private final SimulatedCardProcessor processor = new SimulatedCardProcessor();
  private final List<String> calls = new ArrayList<>();
  private final ForwardingPaymentProvider provider = new ForwardingPaymentProvider(processor) {
    @Override
    protected <T> T call(String operation, Supplier<T> call) {
      calls.add(operation);
      return call.get();
    }
  };

  @Test
  void everyCallReachesTheDelegateThroughOneMethodNamedForIt() {
    AuthorizationResult held = provider.authorize(new AuthorizationRequest("v-1/authorize", CARD, usd(5_000)));
    provider.incrementAuthorization(new IncrementRequest("v-1/increment", held.authorizationId(), usd(1_000)));
    CaptureResult captured = provider.capture(new CaptureRequest("v-1/capture", held.authorizationId(), usd(4_000)));
    provider.refund(new RefundRequest("v-1/refund", captured.captureId(), usd(500)));
    AuthorizationResult other = provider.authorize(new AuthorizationRequest("v-2/authorize", CARD, usd(2_000)));
    provider.release("v-2/void", other.authorizationId());

    assertThat(calls).containsExactly(
        "authorize", "incrementAuthorization", "capture", "refund", "authorize", "release");
    assertThat(processor.openAuthorizations()).isEmpty();
  }

  @Test
  void aFailureOfTheDelegateComesBackAsItWas() {
    assertThatThrownBy(() -> provider.capture(new CaptureRequest("v-9/capture", "no-such-hold", usd(1))))
        .isInstanceOf(PaymentException.class);
    assertThat(calls).containsExactly("capture");
  }

  private static Money usd(long minor) {
    return Money.ofMinor(minor, "USD");
  }
}
