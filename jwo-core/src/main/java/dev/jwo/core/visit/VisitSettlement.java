package dev.jwo.core.visit;

/**
 * Settles visits: charges a confident one, records a doubtful one for review, records an open one. Implemented
 * by payments and called by the cart when a visit ends (and for visits still open when a replay ends). Must be
 * idempotent per visit: settling the same visit again must never charge twice.
 */
public interface VisitSettlement {

  /** Settles one visit. Must not throw for a payment failure: such a visit is recorded for review instead. */
  void settle(VisitOutcome outcome);
}
