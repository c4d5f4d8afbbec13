package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.v1.Incident;
import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.sim.Scenario;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's store (preset normal, seed 1) scripts no tailgating, yet reported one: a spurious detection at the
 * entry gate's line (the truth names nobody) started a track that then took up the detections of a shopper just
 * admitted and walking in, so it "crossed" with every place of the party taken. Such a track is not a person of its
 * own, and no incident may come of it.
 */
class TailgatingFalsePositiveTest {

  @Test
  void aTrackStartedBySpuriousDetectionsAtTheGateIsNoTailgating(@TempDir Path dir) throws Exception {
    List<Incident> incidents = new ArrayList<>();
    AccuracyRun.runWith(Scenario.preset("normal"), 1, dir, new PrintStream(OutputStream.nullOutputStream()),
        injector -> incidents.addAll(injector.getInstance(IncidentLog.class).all()));

    assertThat(incidents).as("the simulation scripts no tailgating and every card pays")
        .noneMatch(i -> i.getKind() == IncidentKind.TAILGATING || i.getKind() == IncidentKind.UNPAID_EXIT);
  }
}
