package dev.jwo.storage;

import dev.jwo.core.StoreId;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.storage.internal.JdbcStoreStorage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Opens durable storage. At start-up the schema is created or migrated (Flyway, versioned migrations) and the
 * data is checked to belong to this store; anything else fails with a {@link StorageStartupException} that says
 * what is wrong. The caller closes the storage ({@link StoreStorage#close()}); reopening on the same settings
 * finds everything that was acknowledged.
 */
public final class DurableStorage {
  private DurableStorage() {}

  /**
   * Opens the storage of {@code store}, recording metrics of appends ({@code jwo.storage.append.*}) in
   * {@code meters}.
   *
   * @throws StorageStartupException if the storage cannot be opened
   */
  public static StoreStorage open(StorageSettings settings, StoreId store, MeterRegistry meters) {
    return JdbcStoreStorage.open(settings, store, meters);
  }

  /** Opens the storage of {@code store} without metrics. */
  public static StoreStorage open(StorageSettings settings, StoreId store) {
    return open(settings, store, new CompositeMeterRegistry());
  }
}
