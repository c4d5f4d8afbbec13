package dev.jwo.server.cli;

import dev.jwo.sim.Scenario;
import dev.jwo.sim.SimulationResult;
import dev.jwo.sim.Simulator;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jwo simulate}: writes a simulated store log with its ground truth. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Simulate a store and write store.json, events.jsonl and the ground-truth files into a directory.")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--preset", defaultValue = "normal", paramLabel = "NAME",
      description = "scenario preset (default ${DEFAULT-VALUE}; one of tiny, quiet, normal, busy, hard, rush)")
  String preset;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--visits", paramLabel = "N",
      description = "number of visits instead of the preset's (arrivals keep the preset's pace)")
  @Nullable Integer visits;

  @Option(names = "--tailgaters", defaultValue = "0", paramLabel = "SHARE",
      description = "share of parties (0 to 1) followed in by a person who scans nothing, written to"
          + " truth-tailgaters.jsonl (default ${DEFAULT-VALUE}: the preset as it is)")
  double tailgaters;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the files")
  Path out;

  @Option(names = "--quiet", description = "print nothing but errors")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Scenario scenario = Scenario.preset(preset);
    if (visits != null) {
      scenario = scenario.withVisits(visits);
    }
    if (!(tailgaters >= 0 && tailgaters <= 1)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--tailgaters must be a share from 0 to 1, was " + tailgaters);
    }
    if (tailgaters > 0) {
      scenario = scenario.withTailgaters(tailgaters);
    }
    SimulationResult result = new Simulator(scenario, seed).run(out, (done, total, events) -> {
      if (!quiet) {
        System.err.printf(Locale.ROOT, "\rsimulated %.1f of %.1f minutes, %,d events",
            done / 60_000.0, total / 60_000.0, events);
      }
    });
    if (!quiet) {
      System.err.println();
      System.out.println(result.summary());
      System.out.println("wrote " + out);
    }
    return 0;
  }
}
