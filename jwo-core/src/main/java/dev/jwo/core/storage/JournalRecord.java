package dev.jwo.core.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record to append to a journal stream: its type (e.g. {@code cart-entry/v1}) and an opaque payload (the owning
 * module's encoding), within the limits of {@link StorageNames}.
 */
public final class JournalRecord {
  private final String type;
  private final byte[] payload;

  public JournalRecord(String type, byte[] payload) {
    this.type = StorageNames.requireRecordType(type);
    this.payload = StorageNames.requirePayload(Objects.requireNonNull(payload, "payload"), "a record's payload")
        .clone();
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
