package dev.jwo.compliance;

import dev.jwo.core.FeatureKind;

/** The kinds of personal data the SDK handles, classified where they enter. */
public enum DataCategory {
  /** Camera images of people. */
  RAW_IMAGE(false),
  /** A scan of face geometry, such as a face embedding. */
  FACE_GEOMETRY(true),
  /** A scan of hand geometry. */
  HAND_GEOMETRY(true),
  /** A voiceprint. */
  VOICEPRINT(true),
  /** A gait signature. */
  GAIT(true),
  /** Clothing colour and appearance: describes a person, does not identify them biometrically. */
  CLOTHING_APPEARANCE(false),
  /** Where a person went in the store. */
  LOCATION_TRACK(false),
  /** What a person bought. */
  PURCHASE(false),
  /** A payment credential or token. */
  PAYMENT_TOKEN(false);

  private final boolean biometricIdentifier;

  DataCategory(boolean biometricIdentifier) {
    this.biometricIdentifier = biometricIdentifier;
  }

  /** Whether this is a biometric identifier under the strictest law the SDK supports (BIPA s10). */
  public boolean isBiometricIdentifier() {
    return biometricIdentifier;
  }

  /** The category of the features a camera of this kind sends; {@code NONE} sends only a location. */
  public static DataCategory ofCameraFeatures(FeatureKind kind) {
    return switch (kind) {
      case NONE -> LOCATION_TRACK;
      case CLOTHING_COLOR -> CLOTHING_APPEARANCE;
      case FACE_GEOMETRY -> FACE_GEOMETRY;
    };
  }
}
