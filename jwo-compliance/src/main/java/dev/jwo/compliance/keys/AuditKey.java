package dev.jwo.compliance.keys;

import com.google.inject.ProvidedBy;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of the audit chain's hashes and checkpoints (HMAC-SHA256): without it, no one who can write the database
 * can make a rewritten chain verify. Supplied by the {@link StoreKeyProvider}; by default derived from the subject key.
 */
@ProvidedBy(AuditKey.FromStoreKeys.class)
public final class AuditKey {
  private static final int BYTES = 32;
  private final SecretKeySpec key;

  private AuditKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes.clone(), "HmacSHA256");
  }

  /** @throws IllegalArgumentException unless {@code bytes} are 32 bytes */
  public static AuditKey of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("the audit key must be 32 bytes, got " + bytes.length);
    }
    return new AuditKey(bytes);
  }

  /** A random key. */
  public static AuditKey random() {
    byte[] bytes = new byte[BYTES];
    new SecureRandom().nextBytes(bytes);
    return of(bytes);
  }

  /** The HMAC-SHA256 of {@code message}, as 64 lowercase hex digits. */
  public String macHex(byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(message));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  /** The HMAC-SHA256 of {@code text} (UTF-8). */
  public String macHex(String text) {
    return macHex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The audit key of the injector's {@link StoreKeyProvider}, where nothing binds one. */
  public static final class FromStoreKeys implements Provider<AuditKey> {
    private final StoreKeyProvider keys;

    @Inject
    FromStoreKeys(StoreKeyProvider keys) {
      this.keys = keys;
    }

    @Override
    public AuditKey get() {
      return keys.auditKey();
    }
  }

  @Override
  public String toString() {
    return "AuditKey[redacted]";
  }
}
