package dev.jwo.vision;

/** The life of a track. */
public enum TrackStatus {
  /** Seen a few times; may still be a spurious detection. */
  TENTATIVE,
  /** Seen often enough to be a person. */
  CONFIRMED,
  /** Not seen lately; kept a while so that it can be continued if the person reappears. */
  LOST,
  /** Left the store through an exit gate. */
  EXITED
}
