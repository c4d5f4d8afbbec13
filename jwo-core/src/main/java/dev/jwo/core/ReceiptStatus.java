package dev.jwo.core;

/** Where a visit's receipt stands. */
public enum ReceiptStatus {
  /** The SDK was confident and charged the credential. */
  CHARGED,
  /** Held for a person to check before charging. */
  REVIEW,
  /** The visit has not ended. */
  OPEN
}
