package dev.jwo.storage;

import dev.jwo.core.storage.StorageException;
import org.jspecify.annotations.Nullable;

/**
 * Durable storage cannot be opened: the data directory or database is missing, unreadable, corrupt, holds data of
 * another program or another store, or was written by a newer release. The message names the location and what
 * is wrong. Data is never reset to get past this; a person must look.
 */
public final class StorageStartupException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageStartupException(String message, boolean retriable, @Nullable Throwable cause) {
    super(message, retriable, cause);
  }
}
