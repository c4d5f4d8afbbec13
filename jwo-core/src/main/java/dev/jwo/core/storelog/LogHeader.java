package dev.jwo.core.storelog;

import dev.jwo.core.StoreId;
import java.util.Objects;

/** The optional first line of {@code events.jsonl}: the format and the store it was recorded in. */
public record LogHeader(long ts, String format, StoreId storeId) {
  public static final String FORMAT = "jwo-log/1";

  public LogHeader {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(storeId, "storeId");
  }

  public static LogHeader of(long ts, StoreId storeId) {
    return new LogHeader(ts, FORMAT, storeId);
  }
}
