/**
 * Durable {@link dev.jwo.core.storage.StoreStorage}: an embedded file database in a data directory (the default,
 * nothing to install) or PostgreSQL, chosen by {@link dev.jwo.storage.StorageSettings} and opened with
 * {@link dev.jwo.storage.DurableStorage#open} or through {@link dev.jwo.storage.inject.StorageModule}.
 */
@NullMarked
package dev.jwo.storage;

import org.jspecify.annotations.NullMarked;
