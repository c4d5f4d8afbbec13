package dev.jwo.core;

/** Identifies one ceiling camera. */
public record CameraId(String value) implements Comparable<CameraId> {

  /** @throws IllegalArgumentException if {@code value} is blank */
  public CameraId {
    value = Ids.requireText(value, "CameraId");
  }

  public static CameraId of(String value) {
    return new CameraId(value);
  }

  @Override
  public int compareTo(CameraId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
