package dev.jwo.core;

/** Identifies one shelf: a board whose load-cell plates lie side by side. */
public record ShelfId(String value) implements Comparable<ShelfId> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public ShelfId {
    value = Ids.requireText(value, "ShelfId");
  }

  public static ShelfId of(String value) {
    return new ShelfId(value);
  }

  @Override
  public int compareTo(ShelfId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
