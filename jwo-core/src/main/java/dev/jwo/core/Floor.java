package dev.jwo.core;

/** The rectangular sales floor, in metres. */
public record Floor(double widthMetres, double depthMetres) {
  public Floor {
    Geometry.requirePositive(widthMetres, "floor width");
    Geometry.requirePositive(depthMetres, "floor depth");
  }
}
