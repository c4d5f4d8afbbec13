package dev.jwo.storage.internal;

import java.util.Map;

/** What differs between the databases behind durable storage. */
enum Dialect {
  H2("embedded", "VARBINARY(1000000)", ""),
  POSTGRESQL("postgresql", "BYTEA", "COLLATE \"C\"");

  private final String tag;
  private final String binaryType;
  private final String orderedCollation;

  Dialect(String tag, String binaryType, String orderedCollation) {
    this.tag = tag;
    this.binaryType = binaryType;
    this.orderedCollation = orderedCollation;
  }

  /** The value of the {@code storage} tag on metrics. */
  String tag() {
    return tag;
  }

  /** Flyway placeholders of the shared migrations. */
  Map<String, String> placeholders() {
    return Map.of("binary", binaryType, "ordered", orderedCollation);
  }
}
