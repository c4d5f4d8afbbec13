package dev.jwo.compliance.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The store's key-encryption key: it wraps every person's key, so a copy of the storage alone reveals nothing.
 * Bind one from the retailer's key-management system; the default is a fresh random key per process, which makes
 * anything kept unreadable after a restart (acceptable when data is kept only for the length of a visit).
 */
public final class VaultMasterKey {
  private static final int IV_BYTES = 12;
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

  /**
   * Wraps {@code dataKey} (AES-256-GCM) under a key derived from this one for {@code purpose} (HMAC-SHA256 of the
   * purpose), bound to {@code context} as associated data: the wrapped form opens only under this master key, for
   * that purpose and context. The result is the 12-byte nonce followed by the ciphertext and its tag.
   */
  public byte[] wrap(String purpose, byte[] dataKey, String context) {
    byte[] iv = new byte[IV_BYTES];
    new SecureRandom().nextBytes(iv);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, purpose, iv, context, dataKey);
    byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
    System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
    return out;
  }

  /**
   * Opens what {@link #wrap} made with the same purpose and context.
   *
   * @throws IllegalArgumentException if it does not open: another master key, purpose or context, or damage
   */
  public byte[] unwrap(String purpose, byte[] wrapped, String context) {
    if (wrapped.length <= IV_BYTES) {
      throw new IllegalArgumentException("not a wrapped key");
    }
    return crypt(Cipher.DECRYPT_MODE, purpose, Arrays.copyOf(wrapped, IV_BYTES), context,
        Arrays.copyOfRange(wrapped, IV_BYTES, wrapped.length));
  }

  private byte[] crypt(int mode, String purpose, byte[] iv, String context, byte[] input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      byte[] derived = mac.doFinal(("jwo key wrap v1|" + purpose).getBytes(StandardCharsets.UTF_8));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(derived, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD((purpose + "|" + context).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalArgumentException("the wrapped key does not open under this master key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM and HmacSHA256 are required by every Java platform", e);
    }
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
