package dev.jwo.core;

/**
 * What a shopper presented at an entry gate (an app QR code, a card token). It is personal data and may be
 * a payment token: {@link #toString()} never shows it, nor anything computed from it. Code that must name the person
 * uses the store's keyed subject ({@code Subjects.of} in jwo-compliance), never an unkeyed digest, which a list of
 * credentials would reverse.
 */
public final class Credential implements Comparable<Credential> {
  private final String value;
  private final boolean erased;

  private Credential(String value, boolean erased) {
    this.value = Ids.requireText(value, "Credential");
    this.erased = erased;
  }

  public static Credential of(String value) {
    return new Credential(value, false);
  }

  /**
   * What is left of a credential erased when its retention ended: only the store's keyed subject of it
   * ({@code subject}), so records kept longer (receipts, settled payments) still name the person the way consent,
   * audit and subject requests do, but no longer hold the credential itself. It never equals a credential presented
   * at a gate, even one spelled like the subject.
   */
  public static Credential erasedTo(String subject) {
    return new Credential(subject, true);
  }

  /** Whether this is an {@linkplain #erasedTo erased} credential, standing only for its keyed subject. */
  public boolean erased() {
    return erased;
  }

  /**
   * The raw credential, for the payment provider, the keyed subject and the receipt file only; never log it. For an
   * {@linkplain #erasedTo erased} credential, the keyed subject that replaced it.
   */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Credential c && c.erased == erased && c.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode() * 31 + (erased ? 1 : 0);
  }

  @Override
  public int compareTo(Credential other) {
    int byValue = value.compareTo(other.value);
    return byValue != 0 ? byValue : Boolean.compare(erased, other.erased);
  }

  /** Always {@code Credential[redacted]}: neither the credential nor a digest of it. */
  @Override
  public String toString() {
    return "Credential[redacted]";
  }
}
