package dev.jwo.core;

/** Identifies one shopping visit: one admission of a party at an entry gate by one credential. */
public record VisitId(String value) implements Comparable<VisitId> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public VisitId {
    value = Ids.requireText(value, "VisitId");
  }

  public static VisitId of(String value) {
    return new VisitId(value);
  }

  @Override
  public int compareTo(VisitId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
