/**
 * Storage for tests: {@link dev.jwo.testing.storage.StoreStorageContractKit} (and
 * {@link dev.jwo.testing.storage.DurableStoreStorageContractKit} for storage that survives a restart), which every
 * {@link dev.jwo.core.storage.StoreStorage} must pass, and {@link dev.jwo.testing.storage.FakeStoreStorage}, an
 * in-memory storage that can simulate a restart and a commit whose outcome is unknown.
 */
@NullMarked
package dev.jwo.testing.storage;

import org.jspecify.annotations.NullMarked;
