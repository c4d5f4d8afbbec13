package dev.jwo.storage.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.storage.DurableStorage;
import dev.jwo.storage.StorageSettings;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.Objects;

/**
 * Replaces the in-memory default {@link StoreStorage} of {@code CoreModule} with durable storage: install it
 * beside {@code CoreModule} (which binds the {@link StoreLayout} and the {@link MeterRegistry}).
 *
 * <pre>{@code
 * Guice.createInjector(StoreModules.forStore(layout, new StorageModule(StorageSettings.embedded(dataDir))));
 * }</pre>
 *
 * <p>The storage is opened, migrated and checked when first injected (one instance per injector) and fails with a
 * {@code StorageStartupException} if it cannot be used. Guice does not close it: whoever created the injector
 * calls {@code injector.getInstance(StoreStorage.class).close()} on shutdown.
 */
public final class StorageModule extends AbstractModule {
  private final StorageSettings settings;

  public StorageModule(StorageSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  protected void configure() {
    bind(StorageSettings.class).toInstance(settings);
    OptionalBinder.newOptionalBinder(binder(), StoreStorage.class)
        .setBinding()
        .toProvider(OpenStorage.class)
        .in(Singleton.class);
  }

  /** Opens the durable storage of the bound store. */
  static final class OpenStorage implements Provider<StoreStorage> {
    private final StorageSettings settings;
    private final StoreLayout layout;
    private final MeterRegistry meters;

    @Inject
    OpenStorage(StorageSettings settings, StoreLayout layout, MeterRegistry meters) {
      this.settings = settings;
      this.layout = layout;
      this.meters = meters;
    }

    @Override
    public StoreStorage get() {
      return DurableStorage.open(settings, layout.storeId(), meters);
    }
  }
}
