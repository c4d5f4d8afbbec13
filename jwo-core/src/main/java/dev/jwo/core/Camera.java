package dev.jwo.core;

import java.util.Objects;

/** A ceiling camera and the kind of per-person features its pipeline sends. */
public record Camera(CameraId id, Point3 position, FeatureKind features) {
  public Camera {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(features, "features");
  }
}
