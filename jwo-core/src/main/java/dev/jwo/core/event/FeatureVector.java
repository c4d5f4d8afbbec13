package dev.jwo.core.event;

import java.util.Arrays;

/**
 * An immutable vector of per-person features from a camera. It may hold a biometric identifier, so it never
 * prints its values: {@link #toString()} shows only its dimension.
 */
public final class FeatureVector {
  private final double[] values;

  private FeatureVector(double[] values) {
    this.values = values;
  }

  /** @throws IllegalArgumentException if empty or any value is not finite */
  public static FeatureVector of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a feature vector must not be empty");
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("feature values must be finite numbers");
      }
    }
    return new FeatureVector(values.clone());
  }

  public int dimension() {
    return values.length;
  }

  public double get(int index) {
    return values[index];
  }

  /** A copy of the values. */
  public double[] toArray() {
    return values.clone();
  }

  /** Cosine similarity in [-1, 1]; vectors of different dimension have similarity 0. */
  public double cosineSimilarity(FeatureVector other) {
    if (other.values.length != values.length) {
      return 0;
    }
    double dot = 0;
    double a = 0;
    double b = 0;
    for (int i = 0; i < values.length; i++) {
      dot += values[i] * other.values[i];
      a += values[i] * values[i];
      b += other.values[i] * other.values[i];
    }
    return a == 0 || b == 0 ? 0 : dot / Math.sqrt(a * b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureVector f && Arrays.equals(values, f.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FeatureVector[dimension=" + values.length + "]";
  }
}
