package dev.jwo.cart;

import dev.jwo.core.visit.VisitOutcome;

/**
 * Told of every decision the cart makes, with its evidence: per shelf event the candidate visits and products
 * with their probabilities, per receipt the probability that it is right and the lines in doubt. For reviewers,
 * for a retailer debugging a store, and for the accuracy benchmark. Called on the pipeline thread; must not block
 * for long and must not throw. The default records nothing.
 */
public interface DecisionTrace {
  /** Records nothing. */
  DecisionTrace NONE = new DecisionTrace() {};

  /** A shelf event was explained (or could be given to nobody: {@code belief.chosen()} is then null). */
  default void shelfEvent(ShelfEventBelief belief, Attribution attribution) {}

  /** A visit's receipt was decided. */
  default void receiptDecided(VisitOutcome outcome) {}
}
