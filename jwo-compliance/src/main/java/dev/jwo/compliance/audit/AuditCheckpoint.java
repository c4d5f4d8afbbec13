package dev.jwo.compliance.audit;

import dev.jwo.compliance.keys.AuditKey;
import java.util.Objects;

/**
 * A keyed statement of the audit chain's head, kept outside the store's database ({@link AuditCheckpoints}): how
 * many records the chain held, the last one's hash, and when (event time). {@code mac} is the HMAC-SHA256 of the
 * other fields under the {@link AuditKey}, so no one without the key can write one.
 */
public record AuditCheckpoint(long count, String headHash, long ts, String mac) {
  public AuditCheckpoint {
    Objects.requireNonNull(headHash, "headHash");
    Objects.requireNonNull(mac, "mac");
    if (count < 1) {
      throw new IllegalArgumentException("a checkpoint covers at least one record");
    }
  }

  /** The checkpoint of a head, keyed with {@code key}. */
  public static AuditCheckpoint of(long count, String headHash, long ts, AuditKey key) {
    return new AuditCheckpoint(count, headHash, ts, key.macHex(message(count, headHash, ts)));
  }

  /** Whether {@code key} made this checkpoint. */
  public boolean madeWith(AuditKey key) {
    return java.security.MessageDigest.isEqual(
        key.macHex(message(count, headHash, ts)).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        mac.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static String message(long count, String headHash, long ts) {
    return "jwo audit checkpoint v1|" + count + "|" + headHash + "|" + ts;
  }
}
