package dev.jwo.compliance.keys;

import com.google.inject.ProvidedBy;
import dev.jwo.core.Credential;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The store's secret for naming people: a person's subject is an HMAC-SHA256 of their credential under this key,
 * cut to 128 bits, so subjects do not collide in practice and cannot be recomputed from a list of credentials
 * without the key. Made once per store and kept with the store's other keys, never beside the data it names.
 */
@ProvidedBy(SubjectKey.FromStoreKeys.class)
public final class SubjectKey {
  /** The prefix of every subject this key names. */
  public static final String PREFIX = "subj:";
  private static final int BYTES = 32;
  private static final int SUBJECT_BYTES = 16;
  private static final byte[] CHECK = "jwo subject key check v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  private final boolean ephemeral;

  private SubjectKey(byte[] bytes, boolean ephemeral) {
    this.key = new SecretKeySpec(bytes.clone(), "HmacSHA256");
    this.ephemeral = ephemeral;
  }

  /**
   * A random 256-bit key for this process only: subjects named with it match nothing after a restart, so a store
   * does not record it (see {@link Subjects}). Durable stores use a key from a {@link StoreKeyProvider}.
   */
  public static SubjectKey random() {
    byte[] bytes = new byte[BYTES];
    new SecureRandom().nextBytes(bytes);
    return new SubjectKey(bytes, true);
  }

  /** Whether this key lives for one process only ({@link #random()}). */
  public boolean ephemeral() {
    return ephemeral;
  }

  /** @throws IllegalArgumentException unless {@code bytes} are 32 bytes */
  public static SubjectKey of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("the subject key must be 32 bytes, got " + bytes.length);
    }
    return new SubjectKey(bytes, false);
  }

  /**
   * The subject that {@code credential} names under this key: {@value #PREFIX} and 32 hex digits; for an
   * {@linkplain Credential#erasedTo erased} credential, the subject it was erased to.
   */
  public String subject(Credential credential) {
    if (credential.erased()) {
      return credential.reveal();
    }
    byte[] mac = mac(("credential\0" + credential.reveal()).getBytes(StandardCharsets.UTF_8));
    return PREFIX + HexFormat.of().formatHex(mac, 0, SUBJECT_BYTES);
  }

  /** A key for another purpose derived from this one (HMAC-SHA256 of {@code purpose}), e.g. the audit key. */
  public AuditKey deriveAuditKey() {
    return AuditKey.of(mac("jwo audit key v1".getBytes(StandardCharsets.UTF_8)));
  }

  /** A value that tells this key from another without revealing it (an HMAC of a constant). */
  public String checkValue() {
    return HexFormat.of().formatHex(mac(CHECK));
  }

  private byte[] mac(byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }

  /** The subject key of the injector's {@link StoreKeyProvider}, where nothing binds one. */
  public static final class FromStoreKeys implements Provider<SubjectKey> {
    private final StoreKeyProvider keys;

    @Inject
    FromStoreKeys(StoreKeyProvider keys) {
      this.keys = keys;
    }

    @Override
    public SubjectKey get() {
      return keys.subjectKey();
    }
  }

  @Override
  public String toString() {
    return "SubjectKey[redacted]";
  }
}
