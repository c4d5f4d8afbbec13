package dev.jwo.core;

/** A point in the store, in metres; {@code z} is the height above the floor. */
public record Point3(double x, double y, double z) {

  public Point3 {
    Geometry.requireFinite(x, "x");
    Geometry.requireFinite(y, "y");
    Geometry.requireFinite(z, "z");
  }

  public double distanceTo(Point3 other) {
    double dx = x - other.x;
    double dy = y - other.y;
    double dz = z - other.z;
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** The point's footprint on the floor plane. */
  public Position onFloor() {
    return new Position(x, y);
  }
}
