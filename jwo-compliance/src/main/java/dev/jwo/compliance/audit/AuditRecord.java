package dev.jwo.compliance.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One record of the audit chain. {@code subject} is a pseudonym (never a raw credential) or empty for records about
 * the store; {@code details} never hold biometric data. {@code hash} is the HMAC-SHA256, under the store's audit
 * key, of the record's canonical body, which includes {@code seq} and {@code previousHash}, so any change, removal,
 * insertion or reordering shows.
 */
public record AuditRecord(
    long seq, long ts, AuditType type, String subject, Map<String, String> details, String previousHash, String hash) {
  public AuditRecord {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    details = Map.copyOf(new TreeMap<>(details));
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** A detail, or empty text if the record has none of that name. */
  public String detail(String name) {
    return details.getOrDefault(name, "");
  }
}
