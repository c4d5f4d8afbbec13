package dev.jwo.testing.compliance;

import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.FailClosedGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class FailClosedGuardContractTest extends ComplianceGuardContractKit {
  @Override
  protected ComplianceGuard guard() {
    return new FailClosedGuard(new SimpleMeterRegistry());
  }
}
