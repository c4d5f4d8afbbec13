package com.example.acme;

import dev.jwo.core.Credential;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.testing.payments.PaymentProviderContractKit;

/** The SDK's contract kit, run against the retailer's provider: ten lines prove it charges each visit once. */
class AcmePaymentProviderContractTest extends PaymentProviderContractKit {
  @Override
  protected PaymentProvider newProvider() {
    return new AcmePaymentProvider(new AcmePayGateway());
  }

  @Override
  protected Credential declinedCredential() {
    return Credential.of("decline-acme-test-card");
  }
}
