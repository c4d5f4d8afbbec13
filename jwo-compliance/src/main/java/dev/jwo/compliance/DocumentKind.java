package dev.jwo.compliance;

import java.util.Locale;

/** The public documents a store may have to publish (R4, R5). */
public enum DocumentKind {
  /** The public retention schedule and destruction guidelines (740 ILCS 14/15(a)). */
  RETENTION_POLICY,
  /** The written disclosure a shopper reads before signing a release (740 ILCS 14/15(b)). */
  CONSENT_DISCLOSURE,
  /** The sign near every customer entrance (NYC Admin. Code 22-1202(a)). */
  NYC_ENTRANCE_SIGN,
  /** The notice at or before the point of collection (Cal. Civ. Code 1798.100). */
  CA_NOTICE_AT_COLLECTION;

  /** The lowercase name used over gRPC and in files, e.g. {@code nyc_entrance_sign}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
