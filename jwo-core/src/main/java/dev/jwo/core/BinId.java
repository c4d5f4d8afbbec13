package dev.jwo.core;

/** Identifies one shelf lane with its own load cell. */
public record BinId(String value) implements Comparable<BinId> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public BinId {
    value = Ids.requireText(value, "BinId");
  }

  public static BinId of(String value) {
    return new BinId(value);
  }

  @Override
  public int compareTo(BinId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
