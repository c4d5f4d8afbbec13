package dev.jwo.compliance.export;

import java.util.Objects;

/** The export guard's answer, with the hash of the audit record that documents the attempt. */
public record ExportDecision(boolean allowed, String reason, String rule, String auditHash) {
  public ExportDecision {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(auditHash, "auditHash");
  }
}
