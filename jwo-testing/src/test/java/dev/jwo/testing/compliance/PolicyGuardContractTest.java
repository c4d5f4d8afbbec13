package dev.jwo.testing.compliance;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.guard.PolicyGuard;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.testing.scenario.StoreScript;

/** The default guard, for an Illinois store whose documents are published and whose subject signed, keeps the contract. */
class PolicyGuardContractTest extends ComplianceGuardContractKit {
  @Override
  protected ComplianceGuard guard() {
    Injector injector = Guice.createInjector(new CoreModule(StoreScript.smallStore("kit-001", "US-IL")),
        new ComplianceModule());
    injector.getInstance(VisitCompliance.class).visitStarted(subject());
    return injector.getInstance(PolicyGuard.class);
  }
}
