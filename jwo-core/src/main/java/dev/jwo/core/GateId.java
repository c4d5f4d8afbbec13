package dev.jwo.core;

/** Identifies an entry or exit gate of a store. */
public record GateId(String value) implements Comparable<GateId> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public GateId {
    value = Ids.requireText(value, "GateId");
  }

  public static GateId of(String value) {
    return new GateId(value);
  }

  @Override
  public int compareTo(GateId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
