package dev.jwo.compliance.keys;

/** A store key could not be had: missing, malformed, or refused by where it is kept. The message says which. */
public final class KeyUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public KeyUnavailableException(String message) {
    super(message);
  }

  public KeyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
