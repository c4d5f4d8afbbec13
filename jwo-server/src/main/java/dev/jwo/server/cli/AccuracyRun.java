package dev.jwo.server.cli;

import dev.jwo.core.storelog.StoreLogReader;
import com.google.inject.Module;
import dev.jwo.cart.inject.CartModule;
import dev.jwo.cart.trace.JsonLinesTrace;
import dev.jwo.server.Replay;
import dev.jwo.server.ReplayResult;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.SimulationResult;
import dev.jwo.sim.Simulator;
import dev.jwo.sim.score.ScoreReport;
import dev.jwo.sim.score.Scorer;
import dev.jwo.sim.truth.TruthFiles;
import dev.jwo.sim.truth.VisitTruth;
import dev.jwo.vision.tracking.TrackingScore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One measured run, shared by {@code demo} and {@code benchmark}: simulate a scenario into a directory, replay
 * its log through the default pipeline (in memory, as {@code replay} does), score the receipts against the
 * truth, and score the default floor tracker against the track truth ({@link TrackingQuality}). Progress goes to {@code progress}.
 */
record AccuracyRun(SimulationResult simulation, ReplayResult replay, ScoreReport score,
    TrackingScore.Result tracking, long simulateMillis, long replayMillis, Calibration calibration) {

  /** The decision trace each run writes beside its receipts. */
  static final String TRACE = "trace.jsonl";

  /**
   * Simulates {@code scenario} into {@code dir}, replays it with the SDK's defaults plus {@code modules} (e.g. a
   * durable storage), and scores the receipts.
   */
  static AccuracyRun run(Scenario scenario, long seed, Path dir, PrintStream progress, Module... modules)
      throws IOException, InterruptedException {
    return runWith(scenario, seed, dir, progress, injector -> { }, modules);
  }

  /** As {@link #run(Scenario, long, Path, PrintStream, Module...)}, running {@code after} on the replayed store. */
  static AccuracyRun runWith(Scenario scenario, long seed, Path dir, PrintStream progress, Replay.AfterReplay after,
      Module... modules) throws IOException, InterruptedException {
    progress.printf(Locale.ROOT, "simulating preset %s, seed %d, into %s%n", scenario.name(), seed, dir);
    long t0 = System.nanoTime();
    int[] shown = {0};
    SimulationResult simulation = new Simulator(scenario, seed).run(dir, (done, total, events) -> {
      int step = (int) (done * 5 / Math.max(1, total));
      if (step > shown[0]) {
        shown[0] = step;
        progress.printf(Locale.ROOT, "  simulated %4.1f of %.1f minutes, %,d events%n",
            done / 60_000.0, total / 60_000.0, events);
      }
    });
    long t1 = System.nanoTime();
    progress.println("  " + simulation.summary());
    progress.printf(Locale.ROOT, "replaying %,d events through the pipeline%n", simulation.events());
    long[] lastShown = {0};
    List<Module> all = new ArrayList<>(Arrays.asList(modules));
    JsonLinesTrace trace = new JsonLinesTrace(dir.resolve(TRACE));
    all.add(CartModule.tracingTo(trace));
    ReplayResult replay;
    try {
      replay = new Replay(dir.resolve(TruthFiles.STORE), dir.resolve(TruthFiles.EVENTS), all.toArray(Module[]::new))
          .afterReplay(after)
          .run(dir, (lines, ts) -> {
            if (lines - lastShown[0] >= Math.max(10_000, simulation.events() / 5)) {
              lastShown[0] = lines;
              progress.printf(Locale.ROOT, "  replayed %,d lines, store time +%.1f min%n",
                  lines, (ts - simulation.startTs()) / 60_000.0);
            }
          });
    } finally {
      trace.close();
    }
    long t2 = System.nanoTime();
    List<VisitTruth> truth = TruthFiles.readVisits(dir.resolve(TruthFiles.VISITS));
    ScoreReport score = Scorer.score(truth, StoreLogReader.readReceipts(replay.receiptsFile()));
    progress.println("scoring the floor tracker against the track truth");
    TrackingScore.Result tracking = TrackingQuality.measure(dir);
    return new AccuracyRun(simulation, replay, score, tracking, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
        Calibration.read(dir.resolve(TRACE), truth));
  }

  /** Events replayed per second of wall time. */
  double eventsPerSecond() {
    return simulation.events() * 1000.0 / Math.max(1, replayMillis);
  }
}
