package dev.jwo.core.storelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwo.core.BinId;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.StoreId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code events.jsonl}: the examples of the specification, round trips, and located errors. */
class EventLogTest {
  static final String HEADER =
      "{\"ts\": 1764410400000, \"type\": \"header\", \"format\": \"jwo-log/1\", \"store_id\": \"demo-001\"}";
  static final String EXIT = "{\"ts\": 1764410702000, \"type\": \"exit\", \"gate\": \"out-1\"}";

  @TempDir Path dir;

  @Test
  void readsTheExamplesOfTheSpecification() throws IOException {
    Path file = write(
        HEADER,
        "{\"ts\": 1764410401200, \"type\": \"entry\", \"gate\": \"in-1\", \"credential\": \"c-7f3a\", \"party\": 2,"
            + " \"consent\": \"bio-2026-01\"}",
        EXIT,
        "{\"ts\": 1764410450100, \"type\": \"weight\", \"bin\": \"A1-1\", \"grams\": 6240.3}",
        // The frame example spans lines in the specification; in a log it is one line.
        "{\"ts\": 1764410450133, \"type\": \"frame\", \"camera\": \"cam-01\", \"people\": [{\"x\": 4.1, \"y\": 2.4,"
            + " \"hands\": [{\"x\": 4.0, \"y\": 2.9, \"z\": 1.18}, {\"x\": 4.3, \"y\": 2.2, \"z\": 0.9}],"
            + " \"features\": [0.12, 0.05, 0.31, 0.02, 0.18, 0.07, 0.2, 0.05]}]}");

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      assertThat(readAll(reader)).containsExactly(
          new EntryEvent(1764410401200L, GateId.of("in-1"), Credential.of("c-7f3a"), 2, "bio-2026-01"),
          new ExitEvent(1764410702000L, GateId.of("out-1")),
          new WeightEvent(1764410450100L, BinId.of("A1-1"), 6240.3),
          new FrameEvent(1764410450133L, CameraId.of("cam-01"), List.of(new PersonObservation(
              new Position(4.1, 2.4),
              List.of(new Point3(4.0, 2.9, 1.18), new Point3(4.3, 2.2, 0.9)),
              FeatureVector.of(0.12, 0.05, 0.31, 0.02, 0.18, 0.07, 0.2, 0.05)))));
      assertThat(reader.header()).contains(LogHeader.of(1764410400000L, StoreId.of("demo-001")));
      assertThat(reader.lineNumber()).isEqualTo(5);
    }
  }

  @Test
  void writtenEventsReadBackEqual() throws IOException {
    List<SensorEvent> events = List.of(
        new EntryEvent(1_000, GateId.of("in-1"), Credential.of("c-1"), 3, "bio-2026-01"),
        new EntryEvent(1_000, GateId.of("in-1"), Credential.of("c-2"), 1, null),
        new FrameEvent(1_033, CameraId.of("cam-1"), List.of(
            new PersonObservation(new Position(2.05, 0.4), List.of(), null),
            new PersonObservation(new Position(4.1, 3.3), List.of(new Point3(4.0, 3.9, 1.1)),
                FeatureVector.of(0.1, 1e-9, 0.7)))),
        new FrameEvent(1_050, CameraId.of("cam-2"), List.of()),
        new WeightEvent(1_100, BinId.of("A1-1"), 6240.300000000001),
        new WeightEvent(1_100, BinId.of("A1-2"), -3.5),
        new ExitEvent(9_000, GateId.of("out-1")));
    Path file = dir.resolve("events.jsonl");
    try (EventLogWriter writer = StoreLogWriter.createEvents(file, LogHeader.of(900, StoreId.of("s-1")))) {
      for (SensorEvent event : events) {
        writer.write(event);
      }
    }

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      assertThat(readAll(reader)).isEqualTo(events);
      assertThat(reader.header()).contains(LogHeader.of(900, StoreId.of("s-1")));
    }
  }

  @Test
  void theWriterRefusesEventsOutOfEventTimeOrder() throws IOException {
    try (EventLogWriter writer =
        StoreLogWriter.createEvents(dir.resolve("events.jsonl"), LogHeader.of(1, StoreId.of("s")))) {
      writer.write(new ExitEvent(2_000, GateId.of("out-1")));
      writer.write(new ExitEvent(2_000, GateId.of("out-1")));

      assertThatThrownBy(() -> writer.write(new ExitEvent(1_999, GateId.of("out-1"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1999 after 2000");
    }
  }

  @Test
  void unknownFieldsAreIgnoredAndBlankLinesSkipped() throws IOException {
    Path file = write(
        "",
        "{\"ts\": 5, \"type\": \"exit\", \"gate\": \"out-1\", \"direction\": \"north\", \"extra\": {\"a\": [1]}}",
        "   ",
        "{\"ts\": 6, \"type\": \"entry\", \"gate\": \"in-1\", \"credential\": \"c\", \"consent\": null}",
        "{\"ts\": 7, \"type\": \"frame\", \"camera\": \"cam-1\", \"people\": [{\"x\": 1, \"y\": 2, \"pose\": \"up\","
            + " \"features\": []}]}");

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      assertThat(readAll(reader)).containsExactly(
          new ExitEvent(5, GateId.of("out-1")),
          new EntryEvent(6, GateId.of("in-1"), Credential.of("c"), 1, null),
          new FrameEvent(7, CameraId.of("cam-1"),
              List.of(new PersonObservation(new Position(1, 2), List.of(), null))));
      assertThat(reader.header()).isEmpty();
    }
  }

  static Stream<Arguments> malformedLines() {
    return Stream.of(
        Arguments.of("missing field", "{\"ts\": 1000, \"type\": \"weight\", \"grams\": 10.0}",
            "weight.bin is missing"),
        Arguments.of("missing ts", "{\"type\": \"exit\", \"gate\": \"out-1\"}", "ts is missing"),
        Arguments.of("wrong type", "{\"ts\": \"1000\", \"type\": \"exit\", \"gate\": \"out-1\"}",
            "ts must be an integer"),
        Arguments.of("fractional ts", "{\"ts\": 1000.5, \"type\": \"exit\", \"gate\": \"out-1\"}",
            "ts must be an integer"),
        Arguments.of("NaN weight", "{\"ts\": 1000, \"type\": \"weight\", \"bin\": \"A1-1\", \"grams\": NaN}",
            "weight.grams must be a finite number"),
        Arguments.of("infinite weight",
            "{\"ts\": 1000, \"type\": \"weight\", \"bin\": \"A1-1\", \"grams\": -Infinity}",
            "weight.grams must be a finite number"),
        Arguments.of("text weight", "{\"ts\": 1000, \"type\": \"weight\", \"bin\": \"A1-1\", \"grams\": \"12\"}",
            "weight.grams must be a finite number"),
        Arguments.of("unknown event type", "{\"ts\": 1000, \"type\": \"teleport\"}",
            "unknown event type 'teleport' (expected entry, exit, weight or frame)"),
        Arguments.of("party of zero",
            "{\"ts\": 1000, \"type\": \"entry\", \"gate\": \"in-1\", \"credential\": \"c\", \"party\": 0}",
            "party size must be at least 1"),
        Arguments.of("blank credential",
            "{\"ts\": 1000, \"type\": \"entry\", \"gate\": \"in-1\", \"credential\": \" \"}",
            "entry.credential must be a non-empty string"),
        Arguments.of("person without position",
            "{\"ts\": 1000, \"type\": \"frame\", \"camera\": \"cam-1\", \"people\": [{\"y\": 1}]}",
            "frame.people[0].x is missing"),
        Arguments.of("feature that is not a number",
            "{\"ts\": 1000, \"type\": \"frame\", \"camera\": \"cam-1\", \"people\": [{\"x\": 1, \"y\": 1,"
                + " \"features\": [0.1, \"a\"]}]}",
            "frame.people[0].features[1] must be a finite number"),
        Arguments.of("three hands",
            "{\"ts\": 1000, \"type\": \"frame\", \"camera\": \"cam-1\", \"people\": [{\"x\": 1, \"y\": 1,"
                + " \"hands\": [{\"x\": 1, \"y\": 1, \"z\": 1}, {\"x\": 1, \"y\": 1, \"z\": 1},"
                + " {\"x\": 1, \"y\": 1, \"z\": 1}]}]}",
            "at most two hands"),
        Arguments.of("header not first", HEADER, "a header is allowed only before the first event"),
        Arguments.of("not an object", "[1000, \"exit\"]", "each line must be a JSON object"),
        Arguments.of("invalid JSON", "{\"ts\": 1000, \"type\": \"exit\", \"gate\": ", "not valid JSON"),
        Arguments.of("two values on a line", "{\"ts\": 1000, \"type\": \"exit\", \"gate\": \"out-1\"} {}",
            "unexpected content after the JSON value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedLines")
  void aMalformedLineIsReportedWithItsLineAndReadingGoesOn(String what, String line, String problem)
      throws IOException {
    Path file = write(HEADER, EXIT, line, "{\"ts\": 1764410703000, \"type\": \"exit\", \"gate\": \"out-2\"}");

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      assertThat(reader.next()).isEqualTo(new ExitEvent(1764410702000L, GateId.of("out-1")));
      StoreLogFormatException e = catchThrowableOfType(StoreLogFormatException.class, reader::next);

      assertThat(e).as(what).isNotNull();
      assertThat(e.file()).isEqualTo("events.jsonl");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.problem()).contains(problem);
      assertThat(e.getMessage()).startsWith("events.jsonl:3: ");
      assertThat(reader.next()).isEqualTo(new ExitEvent(1764410703000L, GateId.of("out-2")));
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void aHeaderOfAnotherFormatVersionIsRefused() throws IOException {
    Path file = write(HEADER.replace("jwo-log/1", "jwo-log/2"), EXIT);

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      assertThatThrownBy(reader::next)
          .isInstanceOf(StoreLogFormatException.class)
          .hasMessage("events.jsonl:1: header.format is 'jwo-log/2', this reader understands jwo-log/1");
    }
  }

  /**
   * Lines end in LF, CR or CR LF, long lines span many reads of the file, and a line end may fall at the end of a
   * read (a CR the last byte read, its LF the first of the next): each line is read once, numbered right.
   */
  @Test
  void lineEndsOfEveryKindAndLinesLongerThanAReadAreReadAsWritten() throws IOException {
    String[] ends = {"\n", "\r", "\r\n"};
    StringBuilder text = new StringBuilder();
    List<SensorEvent> expected = new ArrayList<>();
    // The first line's CR is byte 65,535 of the file: the last of the first read, its LF the first of the next.
    String first = "{\"ts\": 1, \"type\": \"exit\", \"gate\": \"out-1\", \"pad\": \"\"}";
    text.append(first, 0, first.length() - 2).append("x".repeat(65_535 - first.length()))
        .append("\"}").append("\r\n");
    expected.add(new ExitEvent(1, GateId.of("out-1")));
    for (int i = 2; i <= 200; i++) {
      text.append("{\"ts\": ").append(i).append(", \"type\": \"exit\", \"gate\": \"out-1\", \"pad\": \"")
          .append("y".repeat((i * 7_919) % 3_001)).append("\"}").append(ends[i % 3]);
      expected.add(new ExitEvent(i, GateId.of("out-1")));
    }
    text.append("{\"ts\": 201, \"type\": \"exit\"}");
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, text.toString());

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      List<SensorEvent> read = new ArrayList<>();
      for (int i = 0; i < expected.size(); i++) {
        read.add(reader.next());
      }
      assertThat(read).isEqualTo(expected);
      assertThat(reader.lineNumber()).isEqualTo(200);
      StoreLogFormatException error = catchThrowableOfType(StoreLogFormatException.class, reader::next);
      assertThat(error).isNotNull();
      assertThat(error.line()).isEqualTo(201);
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void aHeaderMayFollowBlankLines() throws IOException {
    Path file = write("", HEADER, EXIT);

    try (EventLogReader reader = StoreLogReader.openEvents(file)) {
      assertThat(reader.next()).isEqualTo(new ExitEvent(1764410702000L, GateId.of("out-1")));
      assertThat(reader.header()).map(LogHeader::storeId).contains(StoreId.of("demo-001"));
    }
  }

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("events.jsonl");
    Files.write(file, List.of(lines));
    return file;
  }

  private static List<SensorEvent> readAll(EventLogReader reader) {
    List<SensorEvent> events = new ArrayList<>();
    for (SensorEvent e = reader.next(); e != null; e = reader.next()) {
      events.add(e);
    }
    return events;
  }
}
