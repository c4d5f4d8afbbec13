package dev.jwo.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering of ARCHITECTURE.md, checked on the compiled main code of every module: core depends on no
 * other module; compliance on core; vision, cart and payments on core and compliance; storage and sim on core;
 * nothing but the server depends on everything; and no module reaches into another's {@code internal} package.
 */
class LayeringTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.jwo");
  }

  private static void check(String module, String... forbidden) {
    ArchRule rule = noClasses().that().resideInAPackage("dev.jwo." + module + "..")
        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
        .because("ARCHITECTURE.md: jwo-" + module + " must not depend on those modules");
    rule.check(classes);
  }

  @Test
  void coreDependsOnNoOtherModule() {
    check("core", "dev.jwo.compliance..", "dev.jwo.vision..", "dev.jwo.cart..", "dev.jwo.payments..",
        "dev.jwo.storage..", "dev.jwo.sim..", "dev.jwo.server..", "dev.jwo.testing..");
  }

  @Test
  void complianceDependsOnlyOnCore() {
    check("compliance", "dev.jwo.vision..", "dev.jwo.cart..", "dev.jwo.payments..", "dev.jwo.storage..",
        "dev.jwo.sim..", "dev.jwo.server..", "dev.jwo.testing..");
  }

  @Test
  void visionCartAndPaymentsDependOnlyOnCoreAndCompliance() {
    check("vision", "dev.jwo.cart..", "dev.jwo.payments..", "dev.jwo.storage..", "dev.jwo.sim..",
        "dev.jwo.server..", "dev.jwo.testing..");
    check("cart", "dev.jwo.vision..", "dev.jwo.payments..", "dev.jwo.storage..", "dev.jwo.sim..",
        "dev.jwo.server..", "dev.jwo.testing..");
    check("payments", "dev.jwo.vision..", "dev.jwo.cart..", "dev.jwo.storage..", "dev.jwo.sim..",
        "dev.jwo.server..", "dev.jwo.testing..");
  }

  @Test
  void storageAndSimDependOnlyOnCore() {
    check("storage", "dev.jwo.compliance..", "dev.jwo.vision..", "dev.jwo.cart..", "dev.jwo.payments..",
        "dev.jwo.sim..", "dev.jwo.server..", "dev.jwo.testing..");
    check("sim", "dev.jwo.compliance..", "dev.jwo.vision..", "dev.jwo.cart..", "dev.jwo.payments..",
        "dev.jwo.storage..", "dev.jwo.server..", "dev.jwo.testing..");
  }

  @Test
  void mainCodeNeverUsesTheTestingModule() {
    noClasses().that().resideOutsideOfPackage("dev.jwo.testing..")
        .should().dependOnClassesThat().resideInAPackage("dev.jwo.testing..")
        .check(classes);
  }

  @Test
  void noModuleReachesIntoAnotherModulesInternals() {
    for (String module : new String[] {"core", "compliance", "vision", "cart", "payments", "storage", "sim"}) {
      noClasses().that().resideOutsideOfPackage("dev.jwo." + module + "..")
          .should().dependOnClassesThat().resideInAPackage("dev.jwo." + module + ".internal..")
          .because("internal packages are not part of a module's API")
          .check(classes);
    }
  }
}
