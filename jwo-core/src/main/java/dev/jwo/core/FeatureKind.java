package dev.jwo.core;

import java.util.Locale;

/**
 * What extra per-person features a camera's detector sends with each observation. Only
 * {@link #FACE_GEOMETRY} is a biometric identifier; the compliance guard decides whether it may be used.
 */
public enum FeatureKind {
  /** No features: positions and hands only. */
  NONE,
  /** A colour histogram of clothing; appearance, not biometric. */
  CLOTHING_COLOR,
  /** A face embedding: a scan of face geometry, biometric under BIPA and similar laws. */
  FACE_GEOMETRY;

  /** The name used in store logs, e.g. {@code "face_geometry"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for a name the store-log format does not define */
  public static FeatureKind fromWireName(String name) {
    for (FeatureKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown camera feature kind '" + name + "' (expected none, clothing_color or face_geometry)");
  }
}
