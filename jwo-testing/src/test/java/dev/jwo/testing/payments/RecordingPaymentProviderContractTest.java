package dev.jwo.testing.payments;

import dev.jwo.core.Credential;
import dev.jwo.payments.PaymentProvider;

class RecordingPaymentProviderContractTest extends PaymentProviderContractKit {
  @Override
  protected PaymentProvider newProvider() {
    return new RecordingPaymentProvider();
  }

  @Override
  protected Credential declinedCredential() {
    return Credential.of("decline-me");
  }
}
