package dev.jwo.server.cli;

import dev.jwo.cart.checkout.CheckoutSettings;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.score.ScoreReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jwo benchmark}: simulates each preset, replays it, scores it, and rewrites the accuracy table in
 * {@code docs/BENCHMARKS.md} (between its {@value #BEGIN} and {@value #END} markers, leaving the rest alone).
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Simulate, replay and score the scenario presets, and write the table into docs/BENCHMARKS.md.")
final class BenchmarkCommand implements Callable<Integer> {
  static final String BEGIN = "<!-- accuracy:begin -->";
  static final String END = "<!-- accuracy:end -->";
  static final List<String> DEFAULT_PRESETS = List.of("quiet", "normal", "busy", "hard");

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--presets", split = ",", paramLabel = "NAME[,NAME...]",
      description = "presets to run (default quiet,normal,busy,hard; rush is large)")
  @Nullable List<String> presets;

  @Option(names = "--doc", defaultValue = "docs/BENCHMARKS.md", paramLabel = "FILE",
      description = "the file whose accuracy table is rewritten (default ${DEFAULT-VALUE})")
  Path doc;

  @Option(names = "--no-doc", description = "print the table only; leave the file alone")
  boolean noDoc;

  @Option(names = "--work", paramLabel = "DIR",
      description = "keep each preset's log, truth and receipts in DIR/PRESET (default: temporary, removed)")
  @Nullable Path work;

  /** One preset's figures. */
  record Row(String preset, AccuracyRun run) {}

  @Override
  public Integer call() throws Exception {
    List<String> names = presets == null || presets.isEmpty() ? DEFAULT_PRESETS : presets;
    names.forEach(Scenario::preset); // fail on a misspelt preset before spending minutes on the others
    List<Row> rows = new ArrayList<>();
    Path base = work != null ? work : Files.createTempDirectory("jwo-benchmark-");
    try {
      for (String name : names) {
        Scenario scenario = Scenario.preset(name);
        AccuracyRun run = AccuracyRun.run(scenario, seed, base.resolve(scenario.name()), System.out);
        System.out.print(run.score().toTable());
        System.out.println();
        rows.add(new Row(scenario.name(), run));
      }
    } finally {
      if (work == null) {
        DemoCommand.deleteTree(base);
      }
    }
    String table = table(rows, command(names));
    System.out.print(table);
    if (!noDoc) {
      rewrite(doc, table);
      System.out.println("wrote the table into " + doc);
    }
    return 0;
  }

  private String command(List<String> names) {
    return "./jwo benchmark --seed " + seed + " --presets " + String.join(",", names);
  }

  /** The Markdown that goes between the markers. */
  static String table(List<Row> rows, String command) {
    StringBuilder s = new StringBuilder();
    s.append("Reproduce with `").append(command).append("`: each preset is simulated, replayed through the\n")
        .append("default pipeline (in memory) and scored against its ground truth. Rates are over visits; item\n")
        .append("precision and recall are over units; latency is from the last member's real exit to the\n")
        .append("receipt's decision, in store time. Throughput is wall time on the machine that ran it. Tracker\n")
        .append("IDF1 and identity switches score the default floor tracker's confirmed track of every detection\n")
        .append("against who it really was (the simulator's track truth).\n\n");
    s.append("| preset | visits | people | events | replay events/s | exact | wrong charge | review | open | missing"
        + " | item precision | item recall | exit to receipt median / p95 | tracker IDF1 | ID switches |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      ScoreReport score = row.run().score();
      s.append(String.format(Locale.ROOT,
          "| %s | %d | %d | %,d | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %,d |%n",
          row.preset(), score.visits(), row.run().simulation().people(), row.run().simulation().events(),
          row.run().eventsPerSecond(), ScoreReport.percent(score.exactRate()),
          ScoreReport.percent(score.wrongChargeRate()), ScoreReport.percent(score.reviewRate()),
          ScoreReport.percent(score.openRate()), ScoreReport.percent(score.missingRate()),
          ScoreReport.percent(score.itemPrecision()), ScoreReport.percent(score.itemRecall()),
          latency(score), ScoreReport.percent(row.run().tracking().idf1()), row.run().tracking().switches()));
    }
    s.append("\nA receipt is charged when the probability that it is right reaches the checkout's threshold\n")
        .append("(default ").append(CheckoutSettings.DEFAULT_THRESHOLD)
        .append("). The tables below compare that probability with the truth.\n");
    for (Row row : rows) {
      s.append('\n').append(row.run().calibration().toMarkdown(row.preset()));
    }
    return s.toString();
  }

  private static String latency(ScoreReport score) {
    if (score.latencyMedianMillis() == null || score.latencyP95Millis() == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f s / %.1f s",
        score.latencyMedianMillis() / 1000.0, score.latencyP95Millis() / 1000.0);
  }

  /**
   * Replaces what is between the markers in {@code file} with {@code table}; appends an accuracy section with
   * the markers if the file has none, and creates the file if it does not exist.
   */
  static void rewrite(Path file, String table) throws IOException {
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated;
    if (begin >= 0 && end > begin) {
      updated = text.substring(0, begin + BEGIN.length()) + "\n" + table + text.substring(end);
    } else {
      updated = text + (text.endsWith("\n") ? "" : "\n") + "\n## Accuracy\n\n" + BEGIN + "\n" + table + END + "\n";
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, updated, StandardCharsets.UTF_8);
  }
}
