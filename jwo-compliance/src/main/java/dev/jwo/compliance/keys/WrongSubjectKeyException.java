package dev.jwo.compliance.keys;

/** The subject key is not the one the store's records were named with; start-up stops before anything changes. */
public final class WrongSubjectKeyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public WrongSubjectKeyException(String message) {
    super(message);
  }
}
