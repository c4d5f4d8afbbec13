package dev.jwo.testing.payments;

import dev.jwo.core.Credential;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.simulated.SimulatedCardProcessor;

class SimulatedCardProcessorContractTest extends PaymentProviderContractKit {
  @Override
  protected PaymentProvider newProvider() {
    return new SimulatedCardProcessor();
  }

  @Override
  protected Credential declinedCredential() {
    return Credential.of("decline-4000-0000-0000-0002");
  }
}
