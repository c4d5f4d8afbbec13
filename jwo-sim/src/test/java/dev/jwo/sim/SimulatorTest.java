package dev.jwo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.sim.truth.TruthFiles;
import dev.jwo.sim.truth.VisitTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static SimulationResult result;
  static List<SensorEvent> events;
  static List<VisitTruth> visits;
  static List<JsonNode> shelf;
  static List<JsonNode> tracks;

  @BeforeAll
  static void simulateQuietStore() throws IOException {
    result = new Simulator(Scenario.preset("quiet"), 5).run(dir.resolve("a"), (done, total, n) -> {});
    events = new ArrayList<>();
    try (EventLogReader reader = StoreLogReader.openEvents(dir.resolve("a").resolve(TruthFiles.EVENTS))) {
      for (SensorEvent e = reader.next(); e != null; e = reader.next()) {
        events.add(e);
      }
    }
    visits = TruthFiles.readVisits(dir.resolve("a").resolve(TruthFiles.VISITS));
    shelf = lines(dir.resolve("a").resolve(TruthFiles.SHELF));
    tracks = lines(dir.resolve("a").resolve(TruthFiles.TRACKS));
  }

  static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void theSameSeedWritesTheSameBytesAndAnotherSeedOtherEvents() throws IOException {
    new Simulator(Scenario.preset("quiet"), 5).run(dir.resolve("b"), (done, total, n) -> {});
    new Simulator(Scenario.preset("quiet"), 6).run(dir.resolve("c"), (done, total, n) -> {});
    for (String file : List.of(TruthFiles.STORE, TruthFiles.EVENTS, TruthFiles.VISITS, TruthFiles.SHELF,
        TruthFiles.TRACKS, TruthFiles.SCENARIO)) {
      assertThat(Files.readAllBytes(dir.resolve("b").resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(file)));
    }
    assertThat(Files.readAllBytes(dir.resolve("c").resolve(TruthFiles.EVENTS)))
        .isNotEqualTo(Files.readAllBytes(dir.resolve("a").resolve(TruthFiles.EVENTS)));
  }

  @Test
  void theLogIsReadableAndInTimeOrderAndTheLayoutRoundTrips() throws IOException {
    StoreLayout layout = StoreLogReader.readStore(dir.resolve("a").resolve(TruthFiles.STORE));
    assertThat(layout).isEqualTo(result.layout());
    assertThat(events).hasSize((int) result.events());
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).ts()).isGreaterThanOrEqualTo(events.get(i - 1).ts());
    }
  }

  @Test
  void everyVisitHasOneEntryWithItsPartyAndEveryPersonOneExit() {
    List<EntryEvent> entries = events.stream().filter(EntryEvent.class::isInstance).map(EntryEvent.class::cast)
        .toList();
    assertThat(entries).hasSize(visits.size());
    Map<Credential, VisitTruth> byCredential = new HashMap<>();
    visits.forEach(v -> byCredential.put(v.credential(), v));
    for (EntryEvent entry : entries) {
      VisitTruth visit = byCredential.get(entry.credential());
      assertThat(visit).isNotNull();
      assertThat(entry.partySize()).isEqualTo(visit.party()).isEqualTo(visit.people().size());
      assertThat(entry.consentVersion()).isEqualTo(visit.consent());
      assertThat(entry.ts()).isEqualTo(visit.entryTs());
    }
    long exits = events.stream().filter(ExitEvent.class::isInstance).count();
    assertThat(exits).isEqualTo(visits.stream().mapToInt(VisitTruth::party).sum());
  }

  @Test
  void peopleLeaveOneByOneAndAVisitEndsWithItsLastMember() {
    Map<String, Long> lastAt = new HashMap<>();
    Map<String, Long> outAt = new HashMap<>();
    for (JsonNode line : tracks) {
      if (line.path("type").asText().equals("pass") && line.path("direction").asText().equals("out")) {
        String gate = line.path("gate").asText();
        long ts = line.path("ts").asLong();
        if (lastAt.containsKey(gate)) {
          assertThat(ts - lastAt.get(gate)).as("gap between two exits at " + gate).isGreaterThanOrEqualTo(800);
        }
        lastAt.put(gate, ts);
        outAt.put(line.path("person").asText(), ts);
      }
    }
    for (VisitTruth visit : visits) {
      long last = visit.people().stream().mapToLong(outAt::get).max().orElseThrow();
      assertThat(visit.exitTs()).isEqualTo(last);
    }
    List<Long> exitEvents = events.stream().filter(ExitEvent.class::isInstance).map(SensorEvent::ts).toList();
    assertThat(exitEvents).containsExactlyInAnyOrderElementsOf(outAt.values());
  }

  @Test
  void eachVisitsItemsAreItsTakesLessItsPutBacks() {
    Map<String, Map<Sku, Integer>> held = new TreeMap<>();
    for (JsonNode s : shelf) {
      String action = s.path("action").asText();
      int sign = action.equals("take") ? 1 : action.equals("put") ? -1 : 0;
      held.computeIfAbsent(s.path("credential").asText(), c -> new TreeMap<>())
          .merge(Sku.of(s.path("sku").asText()), sign * s.path("units").asInt(), Integer::sum);
    }
    int units = 0;
    for (VisitTruth visit : visits) {
      Map<Sku, Integer> expected = new TreeMap<>();
      held.getOrDefault(visit.credential().reveal(), Map.of()).forEach((sku, n) -> {
        if (n != 0) {
          expected.put(sku, n);
        }
      });
      Map<Sku, Integer> actual = new TreeMap<>();
      for (SkuQuantity item : visit.items()) {
        actual.put(item.sku(), item.quantity());
      }
      assertThat(actual).as("items of " + visit.credential()).isEqualTo(expected);
      long total = visit.items().stream()
          .mapToLong(i -> result.layout().product(i.sku()).orElseThrow().price().minor() * i.quantity())
          .sum();
      assertThat(visit.totalMinor()).isEqualTo(total);
      units += visit.units();
    }
    assertThat(units).isEqualTo(result.units()).isPositive();
  }

  @Test
  void binWeightsChangeByTheGramsOfEachTakeAndPutBack() {
    Map<String, List<WeightEvent>> readings = new HashMap<>();
    events.stream().filter(WeightEvent.class::isInstance).map(WeightEvent.class::cast)
        .forEach(w -> readings.computeIfAbsent(w.bin().value(), b -> new ArrayList<>()).add(w));
    int checked = 0;
    for (int i = 0; i < shelf.size(); i++) {
      JsonNode s = shelf.get(i);
      String action = s.path("action").asText();
      if (!action.equals("take") && !action.equals("put")) {
        continue;
      }
      String bin = s.path("bin").asText();
      long ts = s.path("ts").asLong();
      int self = i;
      boolean alone = java.util.stream.IntStream.range(0, shelf.size()).noneMatch(j -> j != self
          && shelf.get(j).path("bin").asText().equals(bin) && Math.abs(shelf.get(j).path("ts").asLong() - ts) < 12_000);
      if (!alone) {
        continue;
      }
      double before = median(readings.get(bin), ts - 8_000, ts - 4_000);
      double after = median(readings.get(bin), ts + 4_000, ts + 8_000);
      assertThat(after - before).as(action + " at " + bin + " at " + ts)
          .isCloseTo(s.path("grams").asDouble(), org.assertj.core.data.Offset.offset(8.0));
      checked++;
    }
    assertThat(checked).isGreaterThan(10);
  }

  private static double median(List<WeightEvent> readings, long from, long to) {
    double[] values = readings.stream().filter(w -> w.ts() >= from && w.ts() <= to)
        .mapToDouble(WeightEvent::grams).sorted().toArray();
    assertThat(values).as("readings between " + from + " and " + to).isNotEmpty();
    return values[values.length / 2];
  }

  @Test
  void theTrackingTruthNamesEveryDetectionOfEveryFrameInOrder() {
    List<FrameEvent> frames = events.stream().filter(FrameEvent.class::isInstance).map(FrameEvent.class::cast)
        .toList();
    List<JsonNode> frameTruth = tracks.stream().filter(t -> t.path("type").asText().equals("frame")).toList();
    assertThat(frameTruth).hasSize(frames.size());
    int spurious = 0;
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frameTruth.get(i).path("ts").asLong()).isEqualTo(frames.get(i).ts());
      assertThat(frameTruth.get(i).path("camera").asText()).isEqualTo(frames.get(i).camera().value());
      assertThat(frameTruth.get(i).path("people")).hasSize(frames.get(i).people().size());
      for (JsonNode id : frameTruth.get(i).path("people")) {
        spurious += id.isNull() ? 1 : 0;
      }
    }
    assertThat(spurious).as("spurious detections").isPositive();
    List<String> people = visits.stream().flatMap(v -> v.people().stream()).toList();
    assertThat(frameTruth.stream().flatMap(t -> Stream.of(t.path("people")))
        .flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
        .filter(n -> !n.isNull()).map(JsonNode::asText).distinct())
        .containsExactlyInAnyOrderElementsOf(people);
  }

  @Test
  void gatesInEventsExistInTheLayout() {
    List<GateId> gates = result.layout().gates().stream().map(g -> g.id()).toList();
    assertThat(events.stream().filter(e -> e instanceof EntryEvent || e instanceof ExitEvent)
        .map(e -> e instanceof EntryEvent en ? en.gate() : ((ExitEvent) e).gate()))
        .allMatch(gates::contains);
  }
}
