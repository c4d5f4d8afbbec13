package dev.jwo.core.security;

/** A bearer token that does not authenticate its holder; the message says why and what to do. */
public final class InvalidTokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message);
  }
}
