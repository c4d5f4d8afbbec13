package dev.jwo.compliance.vault;

import java.util.Objects;

/**
 * Proof of a destruction: what was destroyed, why, under which rule, when it was due and when it was done, and the
 * hash of its audit record.
 *
 * @param keyShredded whether the person's key was destroyed, making every copy unreadable
 */
public record DestructionRecord(
    String subject, int items, boolean keyShredded, String reason, String rule, long dueTs, long doneTs,
    String auditHash) {
  public DestructionRecord {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(auditHash, "auditHash");
  }
}
