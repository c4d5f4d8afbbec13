package dev.jwo.core;

/** A point on the store floor plane, in metres: {@code x} to the right of the main entrance, {@code y} into the store. */
public record Position(double x, double y) {

  public Position {
    Geometry.requireFinite(x, "x");
    Geometry.requireFinite(y, "y");
  }

  public double distanceTo(Position other) {
    return Math.hypot(x - other.x, y - other.y);
  }
}
