package dev.jwo.core;

/**
 * What a shopper presented at an entry gate (an app QR code, a card token). It is personal data and may be
 * a payment token: {@link #toString()} never shows it, nor anything computed from it. Code that must name the person
 * uses the store's keyed subject ({@code Subjects.of} in jwo-compliance), never an unkeyed digest, which a list of
 * credentials would reverse.
 */
public final class Credential implements Comparable<Credential> {
  private final String value;

  private Credential(String value) {
    this.value = Ids.requireText(value, "Credential");
  }

  public static Credential of(String value) {
    return new Credential(value);
  }

  /** The raw credential, for the payment provider, the keyed subject and the receipt file only; never log it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Credential c && c.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(Credential other) {
    return value.compareTo(other.value);
  }

  /** Always {@code Credential[redacted]}: neither the credential nor a digest of it. */
  @Override
  public String toString() {
    return "Credential[redacted]";
  }
}
