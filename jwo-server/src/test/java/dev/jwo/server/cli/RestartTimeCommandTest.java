package dev.jwo.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jwo restart-time} ingests the first half of a store log through the durable ingest log and restarts the
 * store on it: with pipeline snapshots a restart replays a part of the input, without them all of it.
 * What it prints is checked, not how long it took.
 */
class RestartTimeCommandTest {
  private static final Pattern REPLAYED = Pattern.compile("restart 1: ready for input after [\\d,]+ ms, ([\\d,]+)"
      + " journaled messages replayed");
  private static final Pattern INGESTED = Pattern.compile("ingested ([\\d,]+) messages \\(([\\d,]+) accepted");

  @TempDir Path dir;

  @BeforeEach
  void simulate() {
    assertThat(JwoCli.run("simulate", "--preset", "quiet", "--seed", "1", "--out", dir.resolve("sim").toString(),
        "--quiet")).isZero();
  }

  @Test
  void aRestartFromSnapshotsReplaysPartOfTheInputAndOneWithoutReplaysMore() throws Exception {
    String with = run("with", "10s");
    String without = run("without", "0");

    assertThat(number(INGESTED, with, 1)).isEqualTo(24_000);
    assertThat(number(INGESTED, with, 2)).as("accepted").isEqualTo(24_000);
    // Stopped mid-day with shoppers inside: without snapshots a restart replays all the input since the store was
    // last empty; with one every 10 s, the input after the latest, back to the first record of its minute of event
    // time (how far back that reaches depends on where the writer's batches fell, so only the order is certain).
    long replayedWith = number(REPLAYED, with, 1);
    long replayedWithout = number(REPLAYED, without, 1);
    assertThat(replayedWith).isPositive().isLessThan(24_000).isLessThan(replayedWithout);
    assertThat(replayedWithout).isLessThanOrEqualTo(24_000);
    assertThat(with).contains("median restart", "snapshots every PT10S");
  }

  @Test
  void recoveryOptionsAreDurationsAndZeroTurnsSnapshotsOff() {
    RecoveryOptions options = new RecoveryOptions();
    assertThat(options.settings().snapshotEvery()).isEqualTo(Duration.ofMinutes(2));
    assertThat(options.settings().checkpointEvery()).isEqualTo(Duration.ofSeconds(30));
    options.snapshotEvery = "0";
    options.checkpointEvery = "10s";
    assertThat(options.settings().snapshotEvery()).isZero();
    assertThat(options.settings().checkpointEvery()).isEqualTo(Duration.ofSeconds(10));
    options.snapshotEvery = "two minutes";
    assertThatThrownBy(options::settings).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--snapshot-every two minutes is not a duration like 90s");
  }

  private String run(String name, String snapshotEvery) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(JwoCli.run("restart-time", "--store", dir.resolve("sim/store.json").toString(),
          "--events", dir.resolve("sim/events.jsonl").toString(), "--data", dir.resolve(name).toString(),
          "--messages", "24000", "--restarts", "1", "--checkpoint-every", "10s", "--snapshot-every", snapshotEvery))
          .isZero();
    } finally {
      System.setOut(saved);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long number(Pattern pattern, String text, int group) {
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as("%s in:%n%s", pattern, text).isTrue();
    return Long.parseLong(matcher.group(group).replace(",", ""));
  }
}
