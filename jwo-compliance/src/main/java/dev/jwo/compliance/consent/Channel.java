package dev.jwo.compliance.consent;

import java.util.Locale;

/** Where a release was signed or withdrawn. */
public enum Channel {
  /** The retailer's shopper app (entries in a store log name the version signed there). */
  APP,
  /** A kiosk or tablet in the store. */
  KIOSK,
  /** A paper form, scanned. */
  PAPER,
  /** The retailer's back office, acting on a request it received. */
  BACK_OFFICE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
