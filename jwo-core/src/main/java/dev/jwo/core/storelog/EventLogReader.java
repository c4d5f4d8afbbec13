package dev.jwo.core.storelog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.StoreId;
import dev.jwo.core.event.SensorEvent;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code events.jsonl} one event at a time. A malformed line makes {@link #next()} throw a
 * {@link StoreLogFormatException} naming the line; the reader is then positioned after that line, so the
 * caller may count the problem and go on. Unknown fields are ignored; blank lines are skipped.
 */
public final class EventLogReader implements Closeable {
  private final String fileName;
  private final BufferedReader in;
  private long lineNumber;
  private @Nullable LogHeader header;
  private long previousTs = Long.MIN_VALUE;

  EventLogReader(Path file) throws IOException {
    this.fileName = String.valueOf(file.getFileName());
    this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  /**
   * Returns the next event, or null at the end of the file.
   *
   * @throws StoreLogFormatException if the next non-blank line is not a valid event
   * @throws UncheckedIOException if the file cannot be read
   */
  public @Nullable SensorEvent next() {
    while (true) {
      String line;
      try {
        line = in.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + fileName + " after line " + lineNumber, e);
      }
      if (line == null) {
        return null;
      }
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonSource json = JsonSource.parseLine(fileName, lineNumber, line);
      ObjectNode object = json.rootObject("each line");
      if (SensorEventCodec.HEADER_TYPE.equals(object.path("type").asText())) {
        readHeader(json, object);
        continue;
      }
      SensorEvent event = SensorEventCodec.decode(json, object);
      previousTs = Math.max(previousTs, event.ts());
      return event;
    }
  }

  private void readHeader(JsonSource json, ObjectNode object) {
    if (lineNumber != 1 && previousTs != Long.MIN_VALUE) {
      throw json.error(lineNumber, "a header is allowed only before the first event");
    }
    String format = json.text(object, "format", "header.");
    if (!format.equals(LogHeader.FORMAT)) {
      throw json.errorAtField(object, "format",
          "header.format is '" + format + "', this reader understands " + LogHeader.FORMAT);
    }
    header = new LogHeader(
        object.has("ts") ? json.integer(object, "ts", "header.") : 0,
        format,
        StoreId.of(json.text(object, "store_id", "header.")));
  }

  /** The header, once the first line has been read, if the file has one. */
  public Optional<LogHeader> header() {
    return Optional.ofNullable(header);
  }

  /** The number of the line last read (1-based); 0 before the first. */
  public long lineNumber() {
    return lineNumber;
  }

  /** The file's name, as used in error messages. */
  public String fileName() {
    return fileName;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
