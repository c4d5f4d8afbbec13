package dev.jwo.core.visit;

import java.util.Objects;

/**
 * A party may not be admitted: its card was declined, the hold was refused, or no hold could be placed and the store
 * does not let parties in without one. {@link #isRetriable()} when the same credential may succeed if it tries again
 * (the processor was unreachable), not when the card itself was refused.
 */
public final class AdmissionRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the party may not come in. */
  public enum Reason {
    /** The card's issuer declined the hold. */
    DECLINED,
    /** The processor refused the request, or the card may not be sent to it. */
    REFUSED,
    /** No hold could be placed now (the processor did not answer, or the card's earlier hold is being changed). */
    TRY_AGAIN
  }

  private final Reason reason;

  public AdmissionRefusedException(String message, Reason reason) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  public boolean isRetriable() {
    return reason == Reason.TRY_AGAIN;
  }
}
