package dev.jwo.core.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a caller of the store is, and so which calls it may make (see {@link PermissionTable}). */
public enum Role {
  /** A sensor gateway: streams what gates, shelves and cameras see, and asks before a gate opens; nothing else. */
  SENSOR_GATEWAY,
  /** A shopper's app, bound to one party's credential: that party's admission, consent, cart and receipts. */
  SHOPPER_APP,
  /** A person who reviews doubtful visits: reads sessions, carts and receipts. */
  REVIEWER,
  /** Store staff: admits parties at the gate, reads sessions, carts and receipts. */
  STAFF,
  /** The compliance officer: consent on paper, subject requests, legal holds, the audit chain and exposure. */
  COMPLIANCE_OFFICER,
  /** The store's administrator: runs the store, verifies the audit chain; reads no personal data. */
  STORE_ADMIN;

  /** The role's name in tokens, certificates and the command line, e.g. {@code compliance-officer}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The role of a wire name, if it names one. */
  public static Optional<Role> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }

  /** Every wire name, for messages: {@code sensor-gateway, shopper-app, ...}. */
  public static String wireNames() {
    return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
  }
}
