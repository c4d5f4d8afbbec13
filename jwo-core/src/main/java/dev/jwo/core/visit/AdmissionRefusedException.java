package dev.jwo.core.visit;

/**
 * A party may not be admitted: its card was declined, or no hold could be placed and the store does not let parties
 * in without one. {@link #isRetriable()} when the same credential may succeed if it tries again (the processor was
 * unreachable), not when the card itself was refused.
 */
public final class AdmissionRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public AdmissionRefusedException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  public boolean isRetriable() {
    return retriable;
  }
}
