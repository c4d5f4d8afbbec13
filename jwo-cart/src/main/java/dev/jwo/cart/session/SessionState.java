package dev.jwo.cart.session;

/** Where a visit stands. */
public enum SessionState {
  /** Admitted at the gate; members are coming through. */
  ADMITTED,
  /** At least one member is in the store. */
  SHOPPING,
  /** Every member has left; the receipt is being decided. */
  ENDED,
  /** Charged, held for review, or reported open at the end of a replay. */
  SETTLED
}
