package dev.jwo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.sim.score.TailgatingScore;
import dev.jwo.sim.truth.TailgaterTruth;
import dev.jwo.sim.truth.TruthFiles;
import dev.jwo.sim.truth.VisitTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted tailgaters: a person who walks in close behind a party without a scan, then shops and leaves. They are
 * off in every preset, whose files stay as they were; switched on, they cross the gate with no entry scan of their
 * own, walk out through an exit gate, and are written to the truth.
 */
class TailgaterSimulationTest {
  @TempDir Path dir;

  @Test
  void presetsScriptNoTailgaters() throws IOException {
    for (String preset : Scenario.PRESETS) {
      assertThat(Scenario.preset(preset).tailgaterShare()).as(preset).isZero();
    }
    new Simulator(Scenario.preset("tiny"), 3).run(dir, (done, total, n) -> {});
    assertThat(dir.resolve(TruthFiles.TAILGATERS)).doesNotExist();
    assertThat(Files.readString(dir.resolve(TruthFiles.SCENARIO))).doesNotContain("tailgater");
  }

  @Test
  void aTailgaterCrossesBehindAPartyWithoutAScanAndLeavesThroughAnExit() throws IOException {
    Scenario scenario = Scenario.preset("quiet").withTailgaters(1.0);
    SimulationResult result = new Simulator(scenario, 5).run(dir, (done, total, n) -> {});
    List<SensorEvent> events = new ArrayList<>();
    try (EventLogReader reader = StoreLogReader.openEvents(dir.resolve(TruthFiles.EVENTS))) {
      for (SensorEvent e = reader.next(); e != null; e = reader.next()) {
        events.add(e);
      }
    }
    List<VisitTruth> visits = TruthFiles.readVisits(dir.resolve(TruthFiles.VISITS));
    List<TailgaterTruth> tailgaters = TruthFiles.readTailgaters(dir.resolve(TruthFiles.TAILGATERS));

    assertThat(tailgaters).as("every party followed in").hasSize(visits.size());
    assertThat(events.stream().filter(EntryEvent.class::isInstance)).as("a tailgater scans nothing")
        .hasSize(visits.size());
    int members = visits.stream().mapToInt(VisitTruth::party).sum();
    assertThat(result.people()).isEqualTo(members + tailgaters.size());
    assertThat(events.stream().filter(ExitEvent.class::isInstance)).as("everybody walks out")
        .hasSize(members + tailgaters.size());
    Map<String, VisitTruth> byCredential = visits.stream()
        .collect(Collectors.toMap(v -> v.credential().reveal(), Function.identity()));
    for (TailgaterTruth t : tailgaters) {
      VisitTruth followed = byCredential.get(t.behind());
      assertThat(followed).isNotNull();
      assertThat(t.gate()).isEqualTo(followed.entryGate());
      assertThat(t.crossTs()).as("after the party's scan, within seconds").isBetween(followed.entryTs() + 500,
          followed.entryTs() + 12_000);
    }
    assertThat(Files.readString(dir.resolve(TruthFiles.SCENARIO))).contains("\"tailgaterShare\" : 1.0");
  }

  @Test
  void incidentsAreGradedAgainstTheScriptedCrossings() {
    dev.jwo.core.GateId in = dev.jwo.core.GateId.of("in-1");
    List<TailgaterTruth> truth = List.of(new TailgaterTruth("p-00003", in, 10_000, "c-1"),
        new TailgaterTruth("p-00009", in, 50_000, "c-2"));
    TailgatingScore score = TailgatingScore.score(truth, List.of(new TailgatingScore.Incident(in, 11_200),
        new TailgatingScore.Incident(in, 11_400), new TailgatingScore.Incident(dev.jwo.core.GateId.of("in-2"), 50_000),
        new TailgatingScore.Incident(in, 30_000)));
    assertThat(score).isEqualTo(new TailgatingScore(2, 1, 3, 1));
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> Scenario.preset("tiny").withTailgaters(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
  }
}
