package dev.jwo.compliance.subject;

import java.util.Objects;

/**
 * Everything held about a person, as a Markdown document, with the hash of the audit record of the request. It lists
 * what biometric data is held and until when, never the data itself.
 */
public record SubjectAccessReport(String subject, String markdown, int consents, int templatesHeld,
    int auditRecords, String auditHash) {
  public SubjectAccessReport {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(markdown, "markdown");
    Objects.requireNonNull(auditHash, "auditHash");
  }
}
