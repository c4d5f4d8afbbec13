package dev.jwo.sim;

import dev.jwo.sim.internal.StoreSimulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Simulates a store for a {@link Scenario} and writes its store log with ground truth into a directory:
 * {@code store.json}, {@code events.jsonl}, and the truth files named in {@link dev.jwo.sim.truth.TruthFiles}.
 * The same scenario and seed always give byte-identical files.
 */
public final class Simulator {
  /** The fixed start of every simulated log: 2025-11-29T10:00:00Z. */
  public static final long START_TS = 1_764_410_400_000L;

  /** Told how far a simulation has got, in simulated time. */
  public interface Progress {
    void simulated(long doneMillis, long totalMillis, long events);
  }

  private final Scenario scenario;
  private final long seed;

  public Simulator(Scenario scenario, long seed) {
    this.scenario = Objects.requireNonNull(scenario, "scenario");
    this.seed = seed;
  }

  /**
   * Writes the simulation into {@code outDir} (created if missing; files of the same names are replaced).
   *
   * @throws IOException if a file cannot be written
   */
  public SimulationResult run(Path outDir, Progress progress) throws IOException {
    return StoreSimulation.run(scenario, seed, START_TS, outDir, progress);
  }
}
