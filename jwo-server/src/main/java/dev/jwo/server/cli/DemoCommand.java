package dev.jwo.server.cli;

import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.sim.score.TailgatingScore;
import dev.jwo.sim.truth.TruthFiles;
import dev.jwo.payments.Receipt;
import dev.jwo.sim.Scenario;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.inject.StorageModule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jwo demo}: simulates a small store, replays it through the pipeline and reports how accurate the
 * receipts were. Accuracy does not decide the exit code; a failure to run does.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Simulate a small store, replay it through the pipeline, and report the accuracy of its receipts.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--preset", defaultValue = "normal", paramLabel = "NAME",
      description = "scenario preset (default ${DEFAULT-VALUE}; one of tiny, quiet, normal, busy, hard, rush)")
  String preset;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--tailgaters", defaultValue = "0", paramLabel = "SHARE",
      description = "share of parties (0 to 1) followed in by a person who scans nothing; the tailgating incidents"
          + " are then graded against them (default ${DEFAULT-VALUE}: the preset as it is)")
  double tailgaters;

  @Option(names = "--out", paramLabel = "DIR",
      description = "keep the store log, truth and receipts in DIR (default: a temporary directory, removed)")
  @Nullable Path out;

  @Override
  public Integer call() throws Exception {
    if (!(tailgaters >= 0 && tailgaters <= 1)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--tailgaters must be a share from 0 to 1, was " + tailgaters);
    }
    Scenario scenario = tailgaters > 0 ? Scenario.preset(preset).withTailgaters(tailgaters) : Scenario.preset(preset);
    PrintStream o = System.out;
    o.println("jwo demo: a simulated store, replayed through the pipeline and scored against its ground truth");
    Path dir = out != null ? out : Files.createTempDirectory("jwo-demo-");
    try {
      Path data = dir.resolve("data");
      o.println("keeping the store in the embedded database in " + data);
      List<StoreOperations.Counts> operations = new ArrayList<>();
      List<TailgatingScore> tailgating = new ArrayList<>();
      AccuracyRun run = AccuracyRun.runWith(scenario, seed, dir, o,
          injector -> {
            tailgating.add(StoreOperations.tailgating(injector,
                TruthFiles.readTailgaters(dir.resolve(TruthFiles.TAILGATERS))));
            operations.add(new StoreOperations(injector,
                TruthFiles.readVisits(dir.resolve(TruthFiles.VISITS))).run());
          },
          new StorageModule(StorageSettings.embedded(data)),
          // The demo's store lives for this process only: its keys are held in memory, as with serve --dev-keys.
          binder -> OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding()
              .toInstance(StoreKeys.random()));
      o.print(run.replay().summary());
      o.println();
      o.printf(Locale.ROOT, "accuracy of %d receipts against the truth of %d visits (%d people, %d units):%n",
          run.score().receipts(), run.score().visits(), run.simulation().people(), run.simulation().units());
      o.print(run.score().toTable());
      printReasons(o, run);
      o.println();
      operations.forEach(ops -> o.print(ops.toText()));
      if (scenario.tailgaterShare() > 0) {
        tailgating.forEach(score -> o.println(score.summary()));
      }
      o.println();
      o.print(run.replay().compliance().toText());
      o.println();
      o.printf(Locale.ROOT, "simulated in %.1f s; replayed %,d events in %.1f s (%,.0f events/s)%n",
          run.simulateMillis() / 1000.0, run.simulation().events(), run.replayMillis() / 1000.0,
          run.eventsPerSecond());
      if (out != null) {
        o.println("files kept in " + out);
      }
    } finally {
      if (out == null) {
        deleteTree(dir);
      }
    }
    return 0;
  }

  /** The most common reasons the pipeline gave for holding receipts, so a reader sees where doubt comes from. */
  private static void printReasons(PrintStream o, AccuracyRun run) {
    Map<String, Long> counts = new TreeMap<>();
    for (Receipt receipt : run.replay().receipts()) {
      for (String reason : receipt.reasons()) {
        // Grouped by the reason's first clause (a doubtful line goes on with alternatives, tracks and evidence).
        counts.merge(reason.split("; ", 2)[0].replaceAll("[0-9][0-9.]*", "#"), 1L, Long::sum);
      }
    }
    if (counts.isEmpty()) {
      return;
    }
    o.println("why receipts were held (most common first):");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(6)
        .forEach(e -> o.printf(Locale.ROOT, "  %4d  %s%n", e.getValue(), e.getKey()));
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, @Nullable IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
