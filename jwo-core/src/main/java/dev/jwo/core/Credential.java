package dev.jwo.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a shopper presented at an entry gate (an app QR code, a card token). It is personal data and may be
 * a payment token: {@link #toString()} never shows it, only a stable {@link #pseudonym()} fit for logs.
 */
public final class Credential implements Comparable<Credential> {
  private final String value;
  private final String pseudonym;

  private Credential(String value) {
    this.value = Ids.requireText(value, "Credential");
    this.pseudonym = "cred:" + sha256Hex(value).substring(0, 12);
  }

  public static Credential of(String value) {
    return new Credential(value);
  }

  /** The raw credential, for the payment provider and the receipt file only; never log it. */
  public String reveal() {
    return value;
  }

  /** A stable, non-reversible short name for logs and metrics. */
  public String pseudonym() {
    return pseudonym;
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

  @Override
  public String toString() {
    return pseudonym;
  }

  static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
