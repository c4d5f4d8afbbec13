package dev.jwo.sim;

import dev.jwo.core.StoreLayout;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a simulation wrote into {@code dir}.
 *
 * @param events sensor events in {@code events.jsonl} (the header line not counted)
 * @param visits entry scans, one per party
 * @param people people who walked in
 * @param units units that left the store in the parties' hands
 * @param peakPeople the most people on the floor at once
 * @param startTs the first instant of the log; {@code endTs} its last
 */
public record SimulationResult(
    Scenario scenario,
    long seed,
    StoreLayout layout,
    Path dir,
    long events,
    int visits,
    int people,
    int units,
    int peakPeople,
    long startTs,
    long endTs) {

  public SimulationResult {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(dir, "dir");
  }

  /** One line for people. */
  public String summary() {
    return String.format("%s (seed %d): %d bins, %d cameras, %d visits, %d people (at most %d at once), "
            + "%d units taken, %.1f simulated minutes, %,d events",
        scenario.name(), seed, layout.bins().size(), layout.cameras().size(), visits, people, peakPeople, units,
        (endTs - startTs) / 60_000.0, events);
  }
}
