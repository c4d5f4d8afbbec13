package dev.jwo.core.pipeline;

/** Why a sensor event was not taken into the pipeline. */
public enum RejectionReason {
  /**
   * The message could not be read as an event: bad syntax, a missing or mistyped field, or a value no event can
   * have (a NaN weight, a party of zero).
   */
  MALFORMED,
  /** It names a gate, bin or camera the store does not have. */
  UNKNOWN_ID,
  /** An event that does not fit the store: an entry at an exit gate, a weight beyond any load cell, no event time. */
  INVALID_VALUE,
  /** It arrived after events later than it had already been processed (beyond the reordering window). */
  TOO_LATE,
  /** The same event was already received. */
  DUPLICATE,
  /** The message is larger than the store takes. */
  TOO_LARGE,
  /**
   * Its event time lies ahead of the store's clock, or far ahead of every event the store has seen: taking it
   * would make every other sensor's events late.
   */
  AHEAD_OF_TIME,
  /** Its source or sequence number cannot be right: no source, a reserved name, or a sequence far ahead. */
  BAD_SOURCE,
  /**
   * Its sequence number lies so far below its source's newest accepted one that the store no longer remembers
   * whether it was received; it is not taken, so that nothing is processed twice.
   */
  SEQUENCE_TOO_OLD
}
