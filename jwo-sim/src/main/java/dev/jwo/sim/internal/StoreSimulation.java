package dev.jwo.sim.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.Camera;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.storelog.EventLogWriter;
import dev.jwo.core.storelog.LogHeader;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.SimulationResult;
import dev.jwo.sim.Simulator;
import dev.jwo.sim.truth.TailgaterTruth;
import dev.jwo.sim.truth.TruthFiles;
import dev.jwo.sim.truth.VisitTruth;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Runs one simulation: generates the store, plans every visit, carries out the shelf actions, then steps the
 * sensors through time in windows of a few seconds, writing events and truth as it goes (memory stays bounded
 * by the window, not the length of the run).
 */
public final class StoreSimulation {
  private static final long WINDOW_MILLIS = 5_000;
  /** Sensors keep reporting this long after the last person left, so that the last visits can settle. */
  private static final long TAIL_MILLIS = 10_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StoreSimulation() {}

  /** One event to write, and for a frame, who its detections really were. */
  private record Pending(SensorEvent event, @Nullable List<@Nullable String> truth) {}

  public static SimulationResult run(Scenario scenario, long seed, long startTs, Path outDir,
      Simulator.Progress progress) throws IOException {
    SplittableRandom root = new SplittableRandom(seed);
    // Realistic load cells draw from a stream of their own, so that scenarios without them draw as before.
    SplittableRandom realism = new SplittableRandom(seed ^ 0x6c6f616463656c6cL);
    StoreModel store = StoreModel.generate("sim-" + scenario.name(), scenario.store(),
        scenario.cells().declareShelves(), root.split());
    StoreLayout layout = store.layout();
    // Tailgaters draw from a stream of their own, so that the parties' plans do not depend on them.
    ShopperPlanner.Plan plan = new ShopperPlanner(store, scenario.shoppers(), root.split(), startTs,
        scenario.tailgaterShare(), new SplittableRandom(seed ^ 0x7461696c67617465L)).plan();
    PersonalSpace.apply(plan.people());
    ShelfWorld world = new ShelfWorld(store, root.split(), scenario.cells(), realism.split());
    world.apply(plan.actions());

    List<Person> people = new ArrayList<>(plan.people());
    people.sort(Comparator.comparingLong(Person::appearTs).thenComparingInt(p -> p.index));
    long endTs = people.stream().mapToLong(Person::goneTs).max().orElse(startTs) + TAIL_MILLIS;

    double width = layout.floor().widthMetres();
    double depth = layout.floor().depthMetres();
    List<CameraModel> cameras = new ArrayList<>();
    for (Camera camera : layout.cameras()) {
      cameras.add(new CameraModel(camera, scenario.sensors(), width, depth, startTs, root.split()));
    }
    List<LoadCellModel> cells = new ArrayList<>();
    for (StoreModel.Slot slot : store.slots()) {
      cells.add(new LoadCellModel(slot, world, scenario.sensors(), startTs, root.split(), scenario.cells(),
          realism.split()));
    }
    for (Person person : people) {
      for (Person.Reach reach : person.reaches) {
        cells.get(reach.slot().index()).reach(reach, true);
        for (StoreModel.Slot beside : store.boardNeighbours(reach.slot())) {
          cells.get(beside.index()).reach(reach, false);
        }
      }
    }
    cells.forEach(LoadCellModel::ready);

    List<Pending> gateEvents = new ArrayList<>();
    for (Party party : plan.parties()) {
      gateEvents.add(new Pending(new EntryEvent(party.scanTs, party.entryGate.id(), party.credential, party.size,
          party.consent), null));
    }
    for (ShopperPlanner.Pass pass : plan.exits()) {
      gateEvents.add(new Pending(new ExitEvent(pass.ts(), pass.gate().id()), null));
    }
    gateEvents.sort(Comparator.comparingLong(p -> p.event().ts()));

    Files.createDirectories(outDir);
    StoreLogWriter.writeStore(outDir.resolve(TruthFiles.STORE), layout);
    long events = 0;
    int peak = 0;
    try (EventLogWriter writer = StoreLogWriter.createEvents(outDir.resolve(TruthFiles.EVENTS),
            LogHeader.of(startTs, layout.storeId()));
        BufferedWriter tracks = Files.newBufferedWriter(outDir.resolve(TruthFiles.TRACKS), StandardCharsets.UTF_8)) {
      int nextGate = 0;
      int firstPresent = 0;
      List<Person> present = new ArrayList<>();
      for (long from = startTs; from < endTs; from += WINDOW_MILLIS) {
        long to = Math.min(endTs, from + WINDOW_MILLIS);
        while (firstPresent < people.size() && people.get(firstPresent).appearTs() < to) {
          present.add(people.get(firstPresent++));
        }
        final long windowStart = from;
        present.removeIf(p -> p.goneTs() < windowStart);
        peak = Math.max(peak, (int) present.stream().filter(p -> p.onFloor(windowStart, width, depth)).count());

        List<Pending> window = new ArrayList<>();
        while (nextGate < gateEvents.size() && gateEvents.get(nextGate).event().ts() < to) {
          window.add(gateEvents.get(nextGate++));
        }
        List<CameraModel.Frame> frames = new ArrayList<>();
        for (CameraModel camera : cameras) {
          camera.frames(from, to, present, frames);
        }
        for (CameraModel.Frame frame : frames) {
          window.add(new Pending(frame.event(), frame.truth()));
        }
        List<WeightEvent> readings = new ArrayList<>();
        for (LoadCellModel cell : cells) {
          cell.readings(from, to, readings);
        }
        for (WeightEvent reading : readings) {
          window.add(new Pending(reading, null));
        }
        window.sort(Comparator.comparingLong(p -> p.event().ts()));
        for (Pending pending : window) {
          writer.write(pending.event());
          events++;
          if (pending.truth() != null) {
            writeFrameTruth(tracks, pending);
          }
        }
        progress.simulated(to - startTs, endTs - startTs, events);
      }
      writePasses(tracks, plan);
    }

    List<VisitTruth> visits = visits(plan, layout);
    TruthFiles.writeVisits(outDir.resolve(TruthFiles.VISITS), visits);
    if (scenario.tailgaterShare() > 0) {
      List<TailgaterTruth> tailgaters = new ArrayList<>();
      for (ShopperPlanner.Tailgater t : plan.tailgaters()) {
        Person person = t.self().members.get(0);
        tailgaters.add(new TailgaterTruth(person.id, t.self().entryGate.id(), t.self().scanTs,
            t.behind().credential.reveal()));
      }
      TruthFiles.writeTailgaters(outDir.resolve(TruthFiles.TAILGATERS), tailgaters);
    }
    writeShelf(outDir.resolve(TruthFiles.SHELF), world);
    int units = visits.stream().mapToInt(VisitTruth::units).sum();
    SimulationResult result = new SimulationResult(scenario, seed, layout, outDir, events, visits.size(),
        people.size(), units, peak, startTs, endTs);
    writeScenario(outDir.resolve(TruthFiles.SCENARIO), result);
    return result;
  }

  private static void writeFrameTruth(BufferedWriter out, Pending pending) throws IOException {
    dev.jwo.core.event.FrameEvent frame = (dev.jwo.core.event.FrameEvent) pending.event();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("ts", frame.ts());
    o.put("type", "frame");
    o.put("camera", frame.camera().value());
    ArrayNode ids = o.putArray("people");
    List<@Nullable String> truth = pending.truth();
    if (truth != null) {
      for (String id : truth) {
        if (id == null) {
          ids.addNull();
        } else {
          ids.add(id);
        }
      }
    }
    out.write(MAPPER.writeValueAsString(o));
    out.write('\n');
  }

  /** Gate passages come after the frames: one line per person walking in and per person walking out. */
  private static void writePasses(BufferedWriter out, ShopperPlanner.Plan plan) throws IOException {
    record Passage(long ts, String gate, String direction, Person person) {}
    List<Passage> passages = new ArrayList<>();
    for (Party party : plan.parties()) {
      for (Person person : party.members) {
        passages.add(new Passage(person.waypoints.get(1).ts(), party.entryGate.id().value(), "in", person));
      }
    }
    for (ShopperPlanner.Tailgater t : plan.tailgaters()) {
      Person person = t.self().members.get(0);
      passages.add(new Passage(person.waypoints.get(1).ts(), t.self().entryGate.id().value(), "in", person));
    }
    for (ShopperPlanner.Pass pass : plan.exits()) {
      passages.add(new Passage(pass.ts(), pass.gate().id().value(), "out", pass.person()));
    }
    passages.sort(Comparator.comparingLong(Passage::ts).thenComparingInt(p -> p.person().index));
    for (Passage p : passages) {
      ObjectNode o = MAPPER.createObjectNode();
      o.put("ts", p.ts());
      o.put("type", "pass");
      o.put("gate", p.gate());
      o.put("direction", p.direction());
      o.put("person", p.person().id);
      o.put("credential", p.person().party.credential.reveal());
      out.write(MAPPER.writeValueAsString(o));
      out.write('\n');
    }
  }

  private static List<VisitTruth> visits(ShopperPlanner.Plan plan, StoreLayout layout) {
    List<VisitTruth> visits = new ArrayList<>();
    for (Party party : plan.parties()) {
      List<SkuQuantity> items = new ArrayList<>();
      long total = 0;
      for (Map.Entry<Sku, Integer> item : party.items.entrySet()) {
        if (item.getValue() > 0) {
          items.add(new SkuQuantity(item.getKey(), item.getValue()));
          Product product = layout.product(item.getKey()).orElseThrow();
          total += product.price().minor() * item.getValue();
        }
      }
      visits.add(new VisitTruth(party.credential, party.size, party.consent, party.entryGate.id(), party.scanTs, party.exitTs(), items,
          total, party.members.stream().map(p -> p.id).toList()));
    }
    return visits;
  }

  private static void writeShelf(Path file, ShelfWorld world) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (ShelfWorld.Interaction i : world.interactions()) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ts", i.ts());
        o.put("bin", i.slot().bin().id().value());
        o.put("action", i.action());
        o.put("sku", i.sku().value());
        o.put("units", i.units());
        o.put("grams", Math.round(i.grams() * 10) / 10.0);
        o.put("wrong_bin", i.wrongBin());
        o.put("person", i.person().id);
        o.put("credential", i.person().party.credential.reveal());
        out.write(MAPPER.writeValueAsString(o));
        out.write('\n');
      }
    }
  }

  private static void writeScenario(Path file, SimulationResult result) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format", "jwo-sim/1");
    o.put("preset", result.scenario().name());
    o.put("seed", result.seed());
    o.put("start_ts", result.startTs());
    o.put("end_ts", result.endTs());
    o.put("events", result.events());
    o.put("visits", result.visits());
    o.put("people", result.people());
    o.put("units", result.units());
    o.put("peak_people", result.peakPeople());
    o.set("scenario", MAPPER.valueToTree(result.scenario()));
    Files.writeString(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n",
        StandardCharsets.UTF_8);
  }
}
