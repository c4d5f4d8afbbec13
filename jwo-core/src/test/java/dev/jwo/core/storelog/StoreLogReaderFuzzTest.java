package dev.jwo.core.storelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jwo.core.GateId;
import dev.jwo.core.event.ExitEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the store-log reader: any bytes as {@code store.json} or {@code events.jsonl} end in a layout, events, or a
 * {@link StoreLogFormatException} naming the problem; never another exception, a hang or a crash. Runs the kept
 * inputs (and the empty one) with every test run; fuzz for longer with
 * {@code JAZZER_FUZZ=1 mvn -pl jwo-core test -Dtest=StoreLogReaderFuzzTest#METHOD} (see docs/SECURITY.md), and keep
 * each finding's input beside the others (the folder {@code StoreLogReaderFuzzTestInputs} of the test resources).
 */
class StoreLogReaderFuzzTest {
  @TempDir Path dir;

  /** Finding 1: a line that is not UTF-8 stopped the reader with an I/O error instead of a format error. */
  @Test
  void aLineThatIsNotUtf8IsAFormatErrorAndReadingGoesOn() throws IOException {
    Path file = dir.resolve("events.jsonl");
    byte[] header = "{\"ts\": 1, \"type\": \"header\", \"format\": \"jwo-log/1\", \"store_id\": \"s-1\"}\r\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', (byte) 0xff, '"', '}', '\n'};
    byte[] exit = "{\"ts\": 5, \"type\": \"exit\", \"gate\": \"out-1\"}\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, concat(header, bad, exit));

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      assertThatThrownBy(reader::next).isInstanceOf(StoreLogFormatException.class)
          .hasMessage("events.jsonl:2: the line is not valid UTF-8");
      assertThat(reader.next()).isEqualTo(new ExitEvent(5, GateId.of("out-1")));
      assertThat(reader.next()).isNull();
      assertThat(reader.header()).isPresent();
    }
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @FuzzTest(maxDuration = "30s")
  void anyStoreFileIsALayoutOrAFormatError(byte[] input) {
    try {
      StoreLogReader.parseStore("store.json", new String(input, java.nio.charset.StandardCharsets.UTF_8));
    } catch (StoreLogFormatException expected) {
      // a clear refusal is the right answer to bad input
    }
  }

  @FuzzTest(maxDuration = "30s")
  void anyEventLogIsEventsOrFormatErrors(byte[] input) throws IOException {
    Path file = Files.createTempFile("fuzz-events", ".jsonl");
    try {
      Files.write(file, input);
      EventLogReader reader;
      try {
        reader = StoreLogReader.openEvents(file);
      } catch (StoreLogFormatException expected) {
        return;
      }
      try (reader) {
        for (int lines = 0; lines <= input.length + 1; lines++) {
          try {
            if (reader.next() == null) {
              return;
            }
          } catch (StoreLogFormatException expected) {
            // the replay counts the line and reads on
          }
        }
        throw new AssertionError("the reader did not reach the end of " + input.length + " bytes");
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
