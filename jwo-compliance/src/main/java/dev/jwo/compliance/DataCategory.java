package dev.jwo.compliance;

import dev.jwo.core.FeatureKind;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The kinds of personal data the SDK handles, classified where they enter (R14). Which of them are biometric
 * depends on the jurisdiction: ask the store's {@code PolicySet}; {@link #isBiometricIdentifier()} is the
 * Illinois answer.
 */
public enum DataCategory {
  /** Camera images of people. */
  RAW_IMAGE,
  /** A scan of face geometry, such as a face embedding. */
  FACE_GEOMETRY,
  /** A scan of hand geometry. */
  HAND_GEOMETRY,
  /** A voiceprint. */
  VOICEPRINT,
  /** A gait signature. */
  GAIT,
  /** Clothing colour and appearance: describes a person, does not identify them biometrically. */
  CLOTHING_APPEARANCE,
  /** Where a person went in the store. */
  LOCATION_TRACK,
  /** What a person bought. */
  PURCHASE,
  /** A payment credential or token. */
  PAYMENT_TOKEN;

  /** Whether this is a biometric identifier under 740 ILCS 14/10 (face or hand geometry, voiceprint). */
  public boolean isBiometricIdentifier() {
    return this == FACE_GEOMETRY || this == HAND_GEOMETRY || this == VOICEPRINT;
  }

  /** The biometric method this category belongs to, or null for data that is not a biometric scan. */
  public @Nullable Modality modality() {
    return switch (this) {
      case FACE_GEOMETRY -> Modality.FACE;
      case HAND_GEOMETRY -> Modality.HAND;
      case VOICEPRINT -> Modality.VOICE;
      case GAIT -> Modality.GAIT;
      default -> null;
    };
  }

  /** The lowercase name used in documents, metrics and evidence files, e.g. {@code face_geometry}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
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
