package dev.jwo.core.storage;

import org.jspecify.annotations.Nullable;

/** Storage failed. {@link #isRetriable()} says whether the same call may succeed if tried again. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public StorageException(String message, boolean retriable) {
    this(message, retriable, null);
  }

  public StorageException(String message, boolean retriable, @Nullable Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean isRetriable() {
    return retriable;
  }
}
