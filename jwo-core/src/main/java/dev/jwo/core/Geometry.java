package dev.jwo.core;

/** Checks shared by the geometric values. */
final class Geometry {
  private Geometry() {}

  static void requireFinite(double value, String what) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number, was " + value);
    }
  }

  static void requirePositive(double value, String what) {
    requireFinite(value, what);
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
  }
}
