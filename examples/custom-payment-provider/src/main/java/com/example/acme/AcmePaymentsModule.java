package com.example.acme;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.payments.PaymentProvider;

/**
 * The retailer's Guice module: it replaces the SDK's default payment provider with AcmePay. Install it next to
 * the SDK's modules; nothing else changes.
 */
public final class AcmePaymentsModule extends AbstractModule {
  private final AcmePayGateway gateway;

  /** Uses {@code gateway}, the retailer's configured AcmePay client. */
  public AcmePaymentsModule(AcmePayGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  protected void configure() {
    bind(AcmePayGateway.class).toInstance(gateway);
    OptionalBinder.newOptionalBinder(binder(), PaymentProvider.class)
        .setBinding()
        .to(AcmePaymentProvider.class);
  }
}
