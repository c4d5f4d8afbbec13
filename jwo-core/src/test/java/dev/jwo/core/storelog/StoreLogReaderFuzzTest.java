package dev.jwo.core.storelog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the store-log reader: any bytes as {@code store.json} or {@code events.jsonl} end in a layout, events, or a
 * {@link StoreLogFormatException} naming the problem; never another exception, a hang or a crash. Runs the kept
 * inputs (and the empty one) with every test run; fuzz for longer with
 * {@code JAZZER_FUZZ=1 mvn -pl jwo-core test -Dtest=StoreLogReaderFuzzTest#METHOD} (see docs/SECURITY.md).
 */
class StoreLogReaderFuzzTest {
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
