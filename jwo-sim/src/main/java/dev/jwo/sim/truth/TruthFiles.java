package dev.jwo.sim.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.storelog.StoreLogFormatException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The files of a simulation's ground truth, beside {@code store.json} and {@code events.jsonl} in one
 * directory, and the reader and writer of {@value #VISITS}. The format is described in {@code TRUTH-FORMAT.md}.
 */
public final class TruthFiles {
  /** The store log's layout. */
  public static final String STORE = "store.json";
  /** The store log's events. */
  public static final String EVENTS = "events.jsonl";
  /** One line per visit: credential, party, items, exit time. */
  public static final String VISITS = "truth-visits.jsonl";
  /** One line per shelf interaction that really happened. */
  public static final String SHELF = "truth-shelf.jsonl";
  /** One line per frame event (who each detection was) and per gate passage. */
  public static final String TRACKS = "truth-tracks.jsonl";
  /** The scenario and seed that produced the directory. */
  public static final String SCENARIO = "scenario.json";
  /** One line per scripted tailgater; written only by a scenario with tailgaters. */
  public static final String TAILGATERS = "truth-tailgaters.jsonl";

  static final ObjectMapper MAPPER = new ObjectMapper();

  private TruthFiles() {}

  /** Writes {@value #VISITS}, one visit per line in the order given. */
  public static void writeVisits(Path file, List<VisitTruth> visits) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (VisitTruth visit : visits) {
        out.write(MAPPER.writeValueAsString(encode(visit)));
        out.write('\n');
      }
    }
  }

  static ObjectNode encode(VisitTruth visit) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("credential", visit.credential().reveal());
    o.put("party", visit.party());
    if (visit.consent() == null) {
      o.putNull("consent");
    } else {
      o.put("consent", visit.consent());
    }
    o.put("entry_gate", visit.entryGate().value());
    o.put("entry_ts", visit.entryTs());
    o.put("exit_ts", visit.exitTs());
    ArrayNode items = o.putArray("items");
    for (SkuQuantity item : visit.items()) {
      items.addObject().put("sku", item.sku().value()).put("qty", item.quantity());
    }
    o.put("total_minor", visit.totalMinor());
    ArrayNode people = o.putArray("people");
    visit.people().forEach(people::add);
    return o;
  }

  /**
   * Reads {@value #VISITS}.
   *
   * @throws StoreLogFormatException naming the line of the first malformed visit
   */
  public static List<VisitTruth> readVisits(Path file) throws IOException {
    return readLines(file, "a visit", TruthFiles::decode);
  }

  /** Writes {@value #TAILGATERS}, one tailgater per line in the order given. */
  public static void writeTailgaters(Path file, List<TailgaterTruth> tailgaters) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (TailgaterTruth t : tailgaters) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("person", t.person());
        o.put("gate", t.gate().value());
        o.put("cross_ts", t.crossTs());
        o.put("behind", t.behind());
        out.write(MAPPER.writeValueAsString(o));
        out.write('\n');
      }
    }
  }

  /**
   * Reads {@value #TAILGATERS}; a directory without the file scripted none.
   *
   * @throws StoreLogFormatException naming the line that is not a tailgater
   */
  public static List<TailgaterTruth> readTailgaters(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new ArrayList<>();
    }
    return readLines(file, "a tailgater", o -> new TailgaterTruth(required(o, "person").asText(),
        GateId.of(required(o, "gate").asText()), required(o, "cross_ts").asLong(), required(o, "behind").asText()));
  }

  /**
   * Reads a JSON-lines truth file, one {@code what} per line (blank lines skipped).
   *
   * @throws StoreLogFormatException naming the first line that is not {@code what}
   */
  private static <T> List<T> readLines(Path file, String what, Function<JsonNode, T> decoder) throws IOException {
    String name = String.valueOf(file.getFileName());
    List<T> read = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          read.add(decoder.apply(MAPPER.readTree(line)));
        } catch (IOException | RuntimeException e) {
          throw new StoreLogFormatException(name, lineNumber, "not " + what + ": " + e.getMessage(), e);
        }
      }
    }
    return read;
  }

  private static VisitTruth decode(JsonNode o) {
    List<SkuQuantity> items = new ArrayList<>();
    for (JsonNode item : o.path("items")) {
      items.add(new SkuQuantity(Sku.of(required(item, "sku").asText()), required(item, "qty").asInt()));
    }
    List<String> people = new ArrayList<>();
    for (JsonNode person : o.path("people")) {
      people.add(person.asText());
    }
    JsonNode consent = o.get("consent");
    return new VisitTruth(
        Credential.of(required(o, "credential").asText()),
        o.path("party").asInt(1),
        consent == null || consent.isNull() ? null : consent.asText(),
        GateId.of(required(o, "entry_gate").asText()),
        o.path("entry_ts").asLong(),
        required(o, "exit_ts").asLong(),
        items,
        o.path("total_minor").asLong(),
        people);
  }

  private static JsonNode required(JsonNode o, String field) {
    JsonNode value = o.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }
}
