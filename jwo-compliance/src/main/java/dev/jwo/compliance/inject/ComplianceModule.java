package dev.jwo.compliance.inject;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.FailClosedGuard;

/** Wires the compliance guard; the default fails closed for every biometric use. */
public final class ComplianceModule extends AbstractModule {
  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), ComplianceGuard.class).setDefault().to(FailClosedGuard.class);
  }
}
