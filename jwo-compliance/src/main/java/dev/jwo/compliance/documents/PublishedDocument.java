package dev.jwo.compliance.documents;

import dev.jwo.compliance.DocumentKind;
import java.util.Objects;

/**
 * A document as published: its kind, version (a disclosure's configured id, otherwise a number that grows with
 * every change of text), the Markdown and HTML, the SHA-256 of the Markdown, and when it was published.
 */
public record PublishedDocument(
    DocumentKind kind, String version, String markdown, String html, String sha256, long publishedTs) {
  public PublishedDocument {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(markdown, "markdown");
    Objects.requireNonNull(html, "html");
    Objects.requireNonNull(sha256, "sha256");
  }
}
