package dev.jwo.compliance.vault;

/** The vault was opened with a master key other than the one it was made with; nothing was read or written. */
public final class WrongMasterKeyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public WrongMasterKeyException(String message) {
    super(message);
  }
}
