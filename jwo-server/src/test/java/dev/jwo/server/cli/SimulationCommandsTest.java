package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's commands end to end: simulate, replay, score; and the benchmark table's place in its file. */
class SimulationCommandsTest {
  @TempDir Path dir;

  @Test
  void simulateThenReplayThenScoreGradesEveryVisit() throws Exception {
    Path sim = dir.resolve("sim");
    assertThat(JwoCli.run("simulate", "--preset", "tiny", "--seed", "3", "--out", sim.toString(), "--quiet"))
        .isZero();
    assertThat(sim.resolve("store.json")).exists();
    assertThat(sim.resolve("truth-visits.jsonl")).exists();
    assertThat(JwoCli.run("replay", "--store", sim.resolve("store.json").toString(),
        "--events", sim.resolve("events.jsonl").toString(), "--out", dir.resolve("out").toString(), "--quiet"))
        .isZero();

    String json = captureOut(() -> JwoCli.run("score", "--truth", sim.toString(),
        "--receipts", dir.resolve("out/receipts.jsonl").toString(), "--json"));

    JsonNode score = new ObjectMapper().readTree(json);
    int visits = Files.readAllLines(sim.resolve("truth-visits.jsonl")).size();
    assertThat(score.path("visits").asInt()).isEqualTo(visits).isPositive();
    assertThat(score.path("missing").asInt()).isZero();
    assertThat(score.path("exact").asInt() + score.path("wrong_charge").asInt() + score.path("review").asInt()
        + score.path("open").asInt()).isEqualTo(visits);
    assertThat(score.path("truth_units").asInt()).isPositive();
    assertThat(score.path("exit_to_receipt_ms").path("count").asInt()).isPositive();

    String table = captureOut(() -> JwoCli.run("score", "--truth", sim.toString(),
        "--receipts", dir.resolve("out/receipts.jsonl").toString()));
    assertThat(table).contains("exact", "wrong charge", "review", "item precision", "item recall", "exit to receipt");
  }

  @Test
  void theDemoRunsOnItsEmbeddedStoreWithKeysOfItsOwn() throws Exception {
    String out = captureOut(() -> JwoCli.run("demo", "--preset", "tiny", "--seed", "2", "--out",
        dir.resolve("demo").toString()));

    assertThat(out).contains("embedded database", "exact", "wrong charge", "audit chain");
  }

  @Test
  void anUnknownPresetIsAUsageErrorThatNamesThePresets() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = JwoCli.run("simulate", "--preset", "chaos", "--out", dir.toString());
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isNotZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("quiet", "rush");
  }

  @Test
  void theBenchmarkTableReplacesOnlyWhatIsBetweenItsMarkers() throws Exception {
    Path doc = dir.resolve("BENCHMARKS.md");
    Files.writeString(doc, "# Benchmarks\n\n## Storage\nkept\n\n## Accuracy\n" + BenchmarkCommand.BEGIN
        + "\nold table\n" + BenchmarkCommand.END + "\n\nafter\n");

    BenchmarkCommand.rewrite(doc, "new table\n");

    assertThat(Files.readString(doc)).isEqualTo("# Benchmarks\n\n## Storage\nkept\n\n## Accuracy\n"
        + BenchmarkCommand.BEGIN + "\nnew table\n" + BenchmarkCommand.END + "\n\nafter\n");
  }

  @Test
  void aFileWithoutMarkersGetsAnAccuracySection() throws Exception {
    Path doc = dir.resolve("docs/BENCHMARKS.md");

    BenchmarkCommand.rewrite(doc, "table\n");
    BenchmarkCommand.rewrite(doc, "table 2\n");

    String text = Files.readString(doc);
    assertThat(text).startsWith("# Benchmarks\n").contains("table 2\n").doesNotContain("table\n" + BenchmarkCommand.END);
    assertThat(text.indexOf(BenchmarkCommand.BEGIN)).isEqualTo(text.lastIndexOf(BenchmarkCommand.BEGIN));
  }

  private interface Run {
    int call() throws Exception;
  }

  private static String captureOut(Run run) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(run.call()).isZero();
    } finally {
      System.setOut(saved);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
