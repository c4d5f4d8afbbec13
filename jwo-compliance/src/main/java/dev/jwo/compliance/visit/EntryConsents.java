package dev.jwo.compliance.visit;

/**
 * What entries said about consent: how many named a disclosure version, how many of those referred to a valid
 * release the payer had already signed through the consent API, and how many named a version this store has not
 * published. An entry never records a release itself.
 */
public record EntryConsents(long named, long covered, long unknownVersion) {

  /** Entries that named a published version their payer holds no valid release of. */
  public long notSigned() {
    return named - covered - unknownVersion;
  }
}
