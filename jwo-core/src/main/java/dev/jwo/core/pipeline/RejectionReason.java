package dev.jwo.core.pipeline;

/** Why a sensor event was not taken into the pipeline. */
public enum RejectionReason {
  /** The message could not be read: bad syntax, a missing or mistyped field. */
  MALFORMED,
  /** It names a gate, bin or camera the store does not have. */
  UNKNOWN_ID,
  /** A value is out of range: a NaN weight, a party of zero, an entry at an exit gate. */
  INVALID_VALUE,
  /** It arrived after events later than it had already been processed (beyond the reordering window). */
  TOO_LATE,
  /** The same event was already received. */
  DUPLICATE
}
