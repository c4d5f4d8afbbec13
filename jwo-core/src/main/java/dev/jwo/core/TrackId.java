package dev.jwo.core;

/** Identifies one person track on the store floor; it carries no identity of the person. */
public record TrackId(String value) implements Comparable<TrackId> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public TrackId {
    value = Ids.requireText(value, "TrackId");
  }

  public static TrackId of(String value) {
    return new TrackId(value);
  }

  @Override
  public int compareTo(TrackId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
