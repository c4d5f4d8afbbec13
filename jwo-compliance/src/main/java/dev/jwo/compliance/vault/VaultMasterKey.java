package dev.jwo.compliance.vault;

import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The store's key-encryption key: it wraps every person's key, so a copy of the storage alone reveals nothing.
 * Bind one from the retailer's key-management system; the default is a fresh random key per process, which makes
 * anything kept unreadable after a restart (acceptable when data is kept only for the length of a visit).
 */
public final class VaultMasterKey {
  private final SecretKey key;

  private VaultMasterKey(SecretKey key) {
    this.key = key;
  }

  /** A random 256-bit key. */
  public static VaultMasterKey random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return of(bytes);
  }

  /** @throws IllegalArgumentException unless {@code bytes} are 32 bytes (AES-256) */
  public static VaultMasterKey of(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("the vault master key must be 32 bytes (AES-256), got " + bytes.length);
    }
    return new VaultMasterKey(new SecretKeySpec(bytes.clone(), "AES"));
  }

  SecretKey key() {
    return key;
  }

  /** A name for this key that reveals nothing of it (16 hex digits of an HMAC of a constant), for records. */
  public String id() {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return "mk-" + java.util.HexFormat.of().formatHex(mac.doFinal(
          "jwo vault master key id v1".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "VaultMasterKey[redacted]";
  }
}
