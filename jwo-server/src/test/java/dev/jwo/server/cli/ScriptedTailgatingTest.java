package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.v1.Incident;
import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.score.TailgatingScore;
import dev.jwo.sim.truth.TailgaterTruth;
import dev.jwo.sim.truth.TruthFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline raises a tailgating incident for a person the simulator scripts to walk in behind a party without a
 * scan, and none for the members of the parties: the quiet store (seed 1) with a tailgater behind half of its
 * parties, replayed through every default, graded against the simulator's truth.
 */
class ScriptedTailgatingTest {

  @Test
  void aScriptedTailgaterRaisesAnIncidentAndTheMembersOfPartiesDoNot(@TempDir Path dir) throws Exception {
    List<Incident> incidents = new ArrayList<>();
    List<TailgatingScore> scores = new ArrayList<>();
    AccuracyRun.runWith(Scenario.preset("quiet").withTailgaters(0.5), 1, dir,
        new PrintStream(OutputStream.nullOutputStream()), injector -> {
          incidents.addAll(injector.getInstance(IncidentLog.class).all());
          scores.add(StoreOperations.tailgating(injector,
              TruthFiles.readTailgaters(dir.resolve(TruthFiles.TAILGATERS))));
        });
    List<TailgaterTruth> scripted = TruthFiles.readTailgaters(dir.resolve(TruthFiles.TAILGATERS));

    assertThat(scripted).as("the scenario scripts tailgaters").isNotEmpty();
    TailgatingScore score = scores.get(0);
    assertThat(score.truePositives()).as("%s; incidents %s", score.summary(), incidents).isPositive();
    assertThat(score.falsePositives()).as("no member of a party is taken for a tailgater: %s", score.summary())
        .isZero();
    assertThat(incidents.stream().filter(i -> i.getKind() == IncidentKind.TAILGATING))
        .hasSize(score.truePositives());
  }
}
