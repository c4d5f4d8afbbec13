package dev.jwo.core.storage;

import java.util.Arrays;

/** A row's value and its version. */
public final class VersionedValue {
  private final byte[] value;
  private final long version;

  /** @throws IllegalArgumentException if {@code version} is not positive */
  public VersionedValue(byte[] value, long version) {
    if (version < 1) {
      throw new IllegalArgumentException("a row's version starts at 1, got " + version);
    }
    this.value = value.clone();
    this.version = version;
  }

  /** A copy of the value. */
  public byte[] value() {
    return value.clone();
  }

  public long version() {
    return version;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionedValue v && v.version == version && Arrays.equals(v.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(version) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "VersionedValue[" + value.length + " bytes, version " + version + "]";
  }
}
