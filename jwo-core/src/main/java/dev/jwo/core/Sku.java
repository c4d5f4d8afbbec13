package dev.jwo.core;

/** A product's stock-keeping unit code. */
public record Sku(String value) implements Comparable<Sku> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public Sku {
    value = Ids.requireText(value, "Sku");
  }

  public static Sku of(String value) {
    return new Sku(value);
  }

  @Override
  public int compareTo(Sku other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
