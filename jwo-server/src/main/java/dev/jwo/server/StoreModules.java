package dev.jwo.server;

import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.jwo.cart.inject.CartModule;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.payments.inject.PaymentsModule;
import dev.jwo.vision.inject.VisionModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Guice modules of a complete store, with every default, plus whatever a retailer adds or overrides. Compliance
 * is wired with the policy guard for the layout's jurisdiction as the default {@code ComplianceGuard}.
 */
public final class StoreModules {
  private StoreModules() {}

  /**
   * Every module the SDK needs for {@code layout}, followed by {@code extra} (a retailer's own bindings, e.g.
   * {@code OptionalBinder.setBinding()} of its payment provider, or a durable storage).
   */
  public static List<Module> forStore(StoreLayout layout, Module... extra) {
    List<Module> modules = new ArrayList<>(List.of(
        new CoreModule(layout),
        new ComplianceModule(),
        new VisionModule(),
        new CartModule(),
        new PaymentsModule(),
        new OperationsModule()));
    modules.addAll(Arrays.asList(extra));
    return modules;
  }

  /** Every module for {@code layout}, with {@code overrides} replacing bindings outright (for tests). */
  public static Module overridden(StoreLayout layout, Module overrides) {
    return Modules.override(forStore(layout)).with(overrides);
  }
}
