package dev.jwo.core;

/** Identifies one store (one edge server runs one store). */
public record StoreId(String value) implements Comparable<StoreId> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public StoreId {
    value = Ids.requireText(value, "StoreId");
  }

  public static StoreId of(String value) {
    return new StoreId(value);
  }

  @Override
  public int compareTo(StoreId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
