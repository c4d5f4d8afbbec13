package dev.jwo.core.storage;

import java.util.Arrays;
import java.util.Objects;

/** A record to append to a journal stream: its type and an opaque payload (the owning module's encoding). */
public final class JournalRecord {
  private final String type;
  private final byte[] payload;

  public JournalRecord(String type, byte[] payload) {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("a journal record needs a type");
    }
    this.type = type;
    this.payload = Objects.requireNonNull(payload, "payload").clone();
  }

  public String type() {
    return type;
  }

  /** A copy of the payload. */
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JournalRecord r && r.type.equals(type) && Arrays.equals(r.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "JournalRecord[" + type + ", " + payload.length + " bytes]";
  }
}
