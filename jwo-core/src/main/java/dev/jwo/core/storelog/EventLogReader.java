package dev.jwo.core.storelog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.StoreId;
import dev.jwo.core.event.SensorEvent;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
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
  private static final int BUFFER_BYTES = 1 << 16;

  private final String fileName;
  private final InputStream in;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
  private final ByteArrayOutputStream lineBytes = new ByteArrayOutputStream();
  /** Bytes of the file read ahead of the lines returned: {@code buffer[position..limit)}. */
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int position;
  private int limit;
  /** Whether the last line ended with CR, so that an LF right after it ends that line too. */
  private boolean afterCr;
  private long lineNumber;
  private @Nullable LogHeader header;
  private long previousTs = Long.MIN_VALUE;

  EventLogReader(Path file) throws IOException {
    this.fileName = String.valueOf(file.getFileName());
    this.in = Files.newInputStream(file);
  }

  /**
   * Returns the next event, or null at the end of the file.
   *
   * @throws StoreLogFormatException if the next non-blank line is not a valid event
   * @throws UncheckedIOException if the file cannot be read
   */
  public @Nullable SensorEvent next() {
    while (true) {
      byte[] bytes;
      try {
        bytes = readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + fileName + " after line " + lineNumber, e);
      }
      if (bytes == null) {
        return null;
      }
      lineNumber++;
      String line;
      try {
        line = utf8.decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw new StoreLogFormatException(fileName, lineNumber, "the line is not valid UTF-8", e);
      }
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

  /** The bytes of the next line without its end (LF, CR or CR LF), or null at the end of the file. */
  private byte @Nullable [] readLine() throws IOException {
    if (afterCr) {
      afterCr = false;
      if ((position < limit || fill()) && buffer[position] == '\n') {
        position++;
      }
    }
    if (position >= limit && !fill()) {
      return null;
    }
    lineBytes.reset();
    while (true) {
      int start = position;
      while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      lineBytes.write(buffer, start, position - start);
      if (position < limit) {
        afterCr = buffer[position] == '\r';
        position++;
        return lineBytes.toByteArray();
      }
      if (!fill()) {
        return lineBytes.toByteArray();
      }
    }
  }

  /** Reads more of the file into the buffer; false at the end of the file. */
  private boolean fill() throws IOException {
    int read = in.read(buffer);
    while (read == 0) {
      read = in.read(buffer);
    }
    position = 0;
    limit = Math.max(read, 0);
    return read > 0;
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
