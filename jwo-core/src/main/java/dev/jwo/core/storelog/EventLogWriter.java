package dev.jwo.core.storelog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.event.SensorEvent;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;

/**
 * Writes {@code events.jsonl}. Events must be written in non-decreasing event time, as the format requires.
 */
public final class EventLogWriter implements Closeable {
  private final BufferedWriter out;
  private long lastTs = Long.MIN_VALUE;

  EventLogWriter(BufferedWriter out) {
    this.out = out;
  }

  void writeHeader(LogHeader header) throws IOException {
    ObjectNode node = JsonSource.MAPPER.createObjectNode();
    node.put("ts", header.ts());
    node.put("type", SensorEventCodec.HEADER_TYPE);
    node.put("format", header.format());
    node.put("store_id", header.storeId().value());
    writeLine(node);
  }

  /** @throws IllegalArgumentException if {@code event} is earlier than the event written before it */
  public void write(SensorEvent event) throws IOException {
    if (event.ts() < lastTs) {
      throw new IllegalArgumentException(
          "events must be written in event-time order: " + event.ts() + " after " + lastTs);
    }
    lastTs = event.ts();
    writeLine(SensorEventCodec.encode(event));
  }

  private void writeLine(ObjectNode node) throws IOException {
    out.write(JsonSource.MAPPER.writeValueAsString(node));
    out.write('\n');
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
