package dev.jwo.compliance;

import java.util.Objects;

/**
 * A compliance operation was refused or could not run. {@link #kind()} says what the caller can do about it; the
 * message says what happened in words a person can act on, and never carries a raw credential or biometric data.
 */
public final class ComplianceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure this is. */
  public enum Kind {
    /** The request itself is wrong (missing or malformed field); fix it and retry. */
    INVALID,
    /** What the request names does not exist (e.g. an unknown disclosure version). */
    NOT_FOUND,
    /** The request is well-formed but the law or the store's state forbids it now (e.g. a legal hold). */
    REFUSED
  }

  private final Kind kind;

  public ComplianceException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }

  public static ComplianceException invalid(String message) {
    return new ComplianceException(Kind.INVALID, message);
  }

  public static ComplianceException notFound(String message) {
    return new ComplianceException(Kind.NOT_FOUND, message);
  }

  public static ComplianceException refused(String message) {
    return new ComplianceException(Kind.REFUSED, message);
  }
}
