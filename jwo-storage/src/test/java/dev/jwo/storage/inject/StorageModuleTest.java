package dev.jwo.storage.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.StorageStartupException;
import dev.jwo.storage.TestStores;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageModuleTest {
  @TempDir Path dataDir;

  @Test
  void withoutTheModuleTheStoreKeepsDataInMemory() {
    Injector injector = Guice.createInjector(new CoreModule(TestStores.layout("s-1")));
    assertThat(injector.getInstance(StoreStorage.class)).isInstanceOf(InMemoryStoreStorage.class);
  }

  @Test
  void theModuleReplacesTheDefaultWithOneDurableStorageForTheBoundStore() {
    Injector injector = Guice.createInjector(
        new CoreModule(TestStores.layout("s-1")), new StorageModule(StorageSettings.embedded(dataDir)));
    StoreStorage storage = injector.getInstance(StoreStorage.class);
    try {
      assertThat(storage).isNotInstanceOf(InMemoryStoreStorage.class);
      assertThat(storage.describe()).contains("embedded database in " + dataDir);
      assertThat(injector.getInstance(StoreStorage.class)).isSameAs(storage);
      storage.journal().append(StreamAppend.atEnd("audit", new JournalRecord("t", new byte[] {1})));
      MeterRegistry meters = injector.getInstance(MeterRegistry.class);
      assertThat(meters.get("jwo.storage.append.batch").tag("storage", "embedded").summary().count()).isEqualTo(1);
    } finally {
      storage.close();
    }

    Injector otherStore = Guice.createInjector(
        new CoreModule(TestStores.layout("s-2")), new StorageModule(StorageSettings.embedded(dataDir)));
    assertThatThrownBy(() -> otherStore.getInstance(StoreStorage.class))
        .isInstanceOf(ProvisionException.class)
        .hasCauseInstanceOf(StorageStartupException.class)
        .hasMessageContaining("holds the data of store 's-1', not of store 's-2'");
  }
}
