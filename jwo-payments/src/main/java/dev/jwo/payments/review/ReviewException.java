package dev.jwo.payments.review;

/** A review request that cannot be carried out, with why; nothing was changed. */
public final class ReviewException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of problem it is, so that a service can answer with the right status. */
  public enum Problem {
    /** The visit has no case (or no receipt). */
    NOT_FOUND,
    /** The request itself is wrong: a line left out or named twice, an unknown product, a bad quantity. */
    INVALID,
    /** The case is not in a state that allows it: resolved, leased to another reviewer, or an expired lease. */
    CONFLICT
  }

  private final Problem problem;

  public ReviewException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
