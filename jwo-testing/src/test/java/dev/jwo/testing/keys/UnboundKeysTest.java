package dev.jwo.testing.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.testing.scenario.StoreScript;
import dev.jwo.testing.storage.FakeStoreStorage;
import org.junit.jupiter.api.Test;

/**
 * A program that embeds the SDK and binds no {@link StoreKeyProvider}: random keys are made only for storage that
 * ends with the process; over durable storage the injector is refused when it is made, before anything is kept.
 */
class UnboundKeysTest {
  private static Injector store(StoreStorage storage, Module... more) {
    Module bindings = new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
      }
    };
    Module[] all = new Module[more.length + 3];
    all[0] = new CoreModule(StoreScript.smallStore("unbound-keys", "US-IL"));
    all[1] = new ComplianceModule();
    all[2] = bindings;
    System.arraycopy(more, 0, all, 3, more.length);
    return Guice.createInjector(all);
  }

  @Test
  void durableStorageWithoutKeysIsRefusedWhenTheInjectorIsMadeSayingHowToBindThem() {
    FakeStoreStorage storage = new FakeStoreStorage();
    assertThatThrownBy(() -> store(storage)).isInstanceOf(CreationException.class)
        .hasMessageContaining("no StoreKeyProvider is bound")
        .hasMessageContaining("unreadable after a restart")
        .hasMessageContaining("KeyFileProvider.inFolder")
        .hasMessageContaining("StoreKeys.random()");
    assertThat(storage.table(Subjects.TABLE).scan("")).as("no key was recorded").isEmpty();
  }

  @Test
  void storageThatEndsWithTheProcessGetsRandomKeysOfItsOwn() {
    Injector injector = store(new InMemoryStoreStorage());
    assertThat(injector.getInstance(StoreKeyProvider.class)).isInstanceOf(StoreKeys.class)
        .isSameAs(injector.getInstance(StoreKeyProvider.class));
    assertThat(injector.getInstance(BiometricVault.class).keep("subj:a", "v-1", DataCategory.FACE_GEOMETRY,
        new double[] {0.5}, 1L)).isNotNull();
  }

  @Test
  void anExplicitInMemoryBindingRunsOnDurableStorage() {
    Injector injector = store(new FakeStoreStorage(), binder -> OptionalBinder.newOptionalBinder(binder,
        StoreKeyProvider.class).setBinding().toInstance(StoreKeys.random()));
    assertThat(injector.getInstance(BiometricVault.class)).isNotNull();
  }
}
