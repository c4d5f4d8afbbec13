package dev.jwo.testing.compliance;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.vision.paths.VisitPaths;
import dev.jwo.cart.inject.CartModule;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.ShopperLocator;
import dev.jwo.payments.inject.PaymentsModule;
import dev.jwo.testing.scenario.StoreScript;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The Illinois store the at-rest kits run: compliance, payments, carts and the paths visits walked over the storage
 * under test.
 */
final class KitStore {
  private KitStore() {}

  /** A store on {@code storage} with {@code keys}, its clock stopped at {@code now}. */
  static Injector open(StoreStorage storage, StoreKeyProvider keys, long now) {
    return Guice.createInjector(new CoreModule(StoreScript.smallStore("kit-001", "US-IL")), new ComplianceModule(),
        new PaymentsModule(), new CartModule(), new AbstractModule() {
          @Override
          protected void configure() {
            bind(ShopperLocator.class).toInstance((point, radius, from, to) -> List.of());
            // The path each visit walked, as the vision module keeps it, without the tracker.
            Multibinder.newSetBinder(binder(), SubjectRecords.class).addBinding().to(VisitPaths.class);
            Multibinder.newSetBinder(binder(), TimedRecords.class).addBinding().to(VisitPaths.class);
            OptionalBinder.newOptionalBinder(binder(), PipelineSettings.class).setBinding()
                .toInstance(new PipelineSettings(0));
            OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
            OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(keys);
            OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding()
                .toInstance(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
          }
        });
  }
}
