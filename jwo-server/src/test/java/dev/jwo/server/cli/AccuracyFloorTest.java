package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.sim.Scenario;
import dev.jwo.sim.score.ScoreReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A floor under accuracy, so that it cannot fall silently: the {@code quiet} preset, seed 1, is deterministic, and
 * its receipts must stay at least as good as measured (exact 11 of 12, no wrong charge). The {@code normal} preset,
 * seed 2, is where confident misattributions (two shoppers' hands in one bin) once surfaced as wrong charges: 12 of
 * its 20 receipts are exact and none may be charged wrong. Raise the floors when accuracy improves.
 */
class AccuracyFloorTest {
  @TempDir Path dir;

  @Test
  void theQuietPresetStaysAtLeastAsAccurateAsMeasured() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    AccuracyRun run = AccuracyRun.run(Scenario.preset("quiet"), 1, dir,
        new PrintStream(progress, true, StandardCharsets.UTF_8));

    ScoreReport score = run.score();
    assertThat(score.visits()).isEqualTo(12);
    assertThat(score.wrongCharges()).as("wrong charges").isZero();
    assertThat(score.exact()).as("exact receipts").isGreaterThanOrEqualTo(11);
    assertThat(score.missing()).isZero();
    assertThat(run.calibration().visits()).as("every decided receipt has a probability").hasSize(12);
    assertThat(Files.readAllLines(dir.resolve(AccuracyRun.TRACE)))
        .as("the decision trace has a line per shelf event and per receipt")
        .anyMatch(line -> line.contains("\"type\":\"shelf_event\""))
        .filteredOn(line -> line.contains("\"type\":\"receipt\"")).hasSize(12);
  }

  @Test
  void theNormalPresetChargesNobodyWrongly() throws Exception {
    AccuracyRun run = AccuracyRun.run(Scenario.preset("normal"), 2, dir,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    ScoreReport score = run.score();
    assertThat(score.visits()).isEqualTo(20);
    assertThat(score.wrongCharges()).as("wrong charges").isZero();
    assertThat(score.exact()).as("exact receipts").isGreaterThanOrEqualTo(12);
  }
}
