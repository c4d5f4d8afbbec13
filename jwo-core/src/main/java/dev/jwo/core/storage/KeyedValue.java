package dev.jwo.core.storage;

import java.util.Objects;

/** A row of a {@link KeyedTable}: its key, value and version. */
public record KeyedValue(String key, VersionedValue value) {
  public KeyedValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
