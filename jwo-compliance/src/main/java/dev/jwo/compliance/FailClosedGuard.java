package dev.jwo.compliance;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * The guard used when no jurisdiction policy is configured: it allows non-biometric data for running the store
 * (tracking for checkout, payment) and denies every biometric use and every other purpose.
 */
@Singleton
public final class FailClosedGuard implements ComplianceGuard {
  static final String RULE = "jwo default: no policy configured, fail closed";

  private final MeterRegistry registry;

  @Inject
  public FailClosedGuard(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public GuardDecision check(DataUse use) {
    GuardDecision decision;
    if (use.category().isBiometricIdentifier()) {
      decision = GuardDecision.deny("no biometric policy is configured for this store", RULE);
    } else if (use.purpose() == Purpose.CHECKOUT_TRACKING || use.purpose() == Purpose.PAYMENT) {
      decision = GuardDecision.allow("non-biometric data used to run the store", RULE);
    } else {
      decision = GuardDecision.deny("purpose " + use.purpose() + " is not allowed without a policy", RULE);
    }
    registry.counter("jwo.compliance.guard.decisions",
            "category", use.category().name().toLowerCase(Locale.ROOT),
            "purpose", use.purpose().name().toLowerCase(Locale.ROOT),
            "outcome", decision.allowed() ? "allowed" : "denied")
        .increment();
    return decision;
  }
}
