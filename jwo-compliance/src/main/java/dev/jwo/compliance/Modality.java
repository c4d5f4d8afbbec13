package dev.jwo.compliance;

/**
 * A biometric method. Consent is given per modality, a store switches modalities on and off, and statutory damages
 * are counted per person per modality (740 ILCS 14/20 as amended in 2024).
 */
public enum Modality {
  /** Face geometry. */
  FACE,
  /** Hand geometry. */
  HAND,
  /** Voiceprint. */
  VOICE,
  /** Gait. */
  GAIT;

  /** The data category this modality's biometric data has. */
  public DataCategory category() {
    return switch (this) {
      case FACE -> DataCategory.FACE_GEOMETRY;
      case HAND -> DataCategory.HAND_GEOMETRY;
      case VOICE -> DataCategory.VOICEPRINT;
      case GAIT -> DataCategory.GAIT;
    };
  }
}
