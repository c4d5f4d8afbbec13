package dev.jwo.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.shelf.LikeliestProduct;
import dev.jwo.cart.shelf.MultiPlateEvents;
import dev.jwo.cart.shelf.SettlingShelfDetector;
import dev.jwo.cart.shelf.ShelfSettings;
import dev.jwo.cart.shelf.WeightProductResolver;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.Simulator;
import dev.jwo.sim.truth.TruthFiles;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jwo shelves}: simulates each preset and runs the default shelf-event detector and product resolver over
 * its load-cell readings, then grades the shelf events against the simulator's shelf truth: recall and precision
 * of shelf events, how often the product is right (the units the shelf stage would record, {@link LikeliestProduct}),
 * and how long after the change, and after the load settled, an event is returned.
 */
@Command(
    name = "shelves",
    mixinStandardHelpOptions = true,
    description = "Grade shelf-event detection and product resolution against the simulator's shelf truth.")
final class ShelvesCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** A detected change may start this long before the true one (a hand pressing first)... */
  private static final long LEAD_MILLIS = 2_000;
  /** ... and its settled end must not be more than this after it. */
  private static final long LAG_MILLIS = 6_000;
  /** How long a shopper holds a unit inspected at most before setting it back. */
  private static final long INSPECT_MILLIS = 4_000;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--presets", split = ",", paramLabel = "NAME[,NAME...]",
      description = "presets to run (default realistic-cells,normal,hard)")
  @Nullable List<String> presets;

  @Option(names = "--work", paramLabel = "DIR",
      description = "keep each preset's log and truth in DIR/PRESET (default: temporary, removed)")
  @Nullable Path work;

  @Option(names = "--reuse", description = "grade the log already in the --work directory instead of simulating")
  boolean reuse;

  @Option(names = "--list", description = "also list every missed change, spurious event and wrong product")
  boolean list;

  /** One true load change of a bin. */
  record Truth(long ts, BinId bin, String action, Sku sku, int units, String credential) {}

  /** A detected event as it is explained, with when it was returned. */
  record Detected(ShelfEvent event, long emittedTs) {}

  /**
   * One preset's figures.
   *
   * @param latencies per matched true change, from it to the reading that returned its event
   * @param settleLatencies per event the detector returned, from its end (the first reading of the window in which
   *     the load was level: when the shelf settled, as the readings show it) to the reading that returned it
   */
  record Figures(String preset, int truths, int detected, int ignored, int matched, int productRight,
      List<Long> latencies, List<Long> settleLatencies) {
    double recall() {
      return truths == 0 ? 1 : matched / (double) truths;
    }

    double precision() {
      int counted = detected - ignored;
      return counted == 0 ? 1 : matched / (double) counted;
    }

    double productAccuracy() {
      return matched == 0 ? 1 : productRight / (double) matched;
    }

    long latency(double quantile) {
      return quantile(latencies, quantile);
    }

    long settleLatency(double quantile) {
      return quantile(settleLatencies, quantile);
    }

    private static long quantile(List<Long> values, double quantile) {
      if (values.isEmpty()) {
        return 0;
      }
      List<Long> sorted = values.stream().sorted().toList();
      return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size())));
    }
  }

  @Override
  public Integer call() throws Exception {
    List<String> names = presets == null || presets.isEmpty() ? List.of("realistic-cells", "normal", "hard") : presets;
    names.forEach(Scenario::preset);
    Path base = work != null ? work : Files.createTempDirectory("jwo-shelves-");
    List<Figures> rows = new ArrayList<>();
    try {
      for (String name : names) {
        Scenario scenario = Scenario.preset(name);
        Path dir = base.resolve(scenario.name());
        if (!(reuse && Files.exists(dir.resolve(TruthFiles.SHELF)))) {
          new Simulator(scenario, seed).run(dir, (done, total, events) -> { });
        }
        Figures figures = grade(scenario.name(), dir, list);
        rows.add(figures);
        System.out.println(row(figures));
      }
    } finally {
      if (work == null) {
        DemoCommand.deleteTree(base);
      }
    }
    System.out.println();
    System.out.println("Reproduce with `./jwo shelves --seed " + seed + " --presets " + String.join(",", names) + "`");
    System.out.println();
    System.out.println("| preset | true changes | events | recall | precision | product right | latency median / p95 "
        + "| settle to emit median / p95 |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(f -> System.out.println(row(f)));
    return 0;
  }

  private static String row(Figures f) {
    return String.format(Locale.ROOT,
        "| %s | %d | %d | %.2f %% | %.2f %% | %.2f %% | %.2f s / %.2f s | %.2f s / %.2f s |",
        f.preset(), f.truths(), f.detected() - f.ignored(), 100 * f.recall(), 100 * f.precision(),
        100 * f.productAccuracy(), f.latency(0.5) / 1000.0, f.latency(0.95) / 1000.0,
        f.settleLatency(0.5) / 1000.0, f.settleLatency(0.95) / 1000.0);
  }

  static Figures grade(String preset, Path dir, boolean list) throws Exception {
    StoreLayout layout = StoreLogReader.readStore(dir.resolve(TruthFiles.STORE));
    SettlingShelfDetector detector = new SettlingShelfDetector(ShelfSettings.DEFAULTS, layout);
    WeightProductResolver resolver = new WeightProductResolver(layout, ShelfSettings.DEFAULTS);
    List<Detected> detected = new ArrayList<>();
    long last = 0;
    try (EventLogReader reader = StoreLogReader.openEvents(dir.resolve(TruthFiles.EVENTS))) {
      SensorEvent event;
      while ((event = reader.next()) != null) {
        last = event.ts();
        if (event instanceof WeightEvent reading) {
          for (ShelfEvent e : detector.onReading(reading)) {
            detected.add(new Detected(e, reading.ts()));
          }
        }
      }
    }
    for (ShelfEvent e : detector.flush(last)) {
      detected.add(new Detected(e, last));
    }
    List<Truth> truths = readTruth(dir.resolve(TruthFiles.SHELF));
    List<Long> settleLatencies = detected.stream().map(d -> d.emittedTs() - d.event().endTs()).toList();

    // What each credential holds, as the cart would: put-backs are explained from it.
    Map<String, Map<Sku, Integer>> held = new HashMap<>();
    List<Detected> explained = new ArrayList<>();
    for (Detected d : detected) {
      for (ShelfEvent part : MultiPlateEvents.explainable(d.event(), layout, resolver, e -> binContents(layout, e),
          ShelfSettings.DEFAULTS)) {
        explained.add(new Detected(part, d.emittedTs()));
      }
    }
    boolean[] used = new boolean[explained.size()];
    int matched = 0;
    List<Long> latencies = new ArrayList<>();
    List<Truth> changes = truths.stream().filter(t -> t.action().equals("take") || t.action().equals("put")).toList();
    // Per true change: the event it was matched with, or -1; the earlier change it is one load change with, or -1.
    int[] eventOf = new int[changes.size()];
    int[] sameAs = new int[changes.size()];
    List<Map<Sku, Integer>> carts = new ArrayList<>();
    for (int t = 0; t < changes.size(); t++) {
      Truth truth = changes.get(t);
      int best = -1;
      for (int i = 0; i < explained.size(); i++) {
        ShelfEvent e = explained.get(i).event();
        if (used[i] || !e.bins().contains(truth.bin()) || e.isRemoval() != truth.action().equals("take")) {
          continue;
        }
        if (e.startTs() - LEAD_MILLIS <= truth.ts() && truth.ts() <= e.startTs() + LAG_MILLIS
            && (best < 0 || Math.abs(e.startTs() - truth.ts()) < Math.abs(explained.get(best).event().startTs() - truth.ts()))) {
          best = i;
        }
      }
      Map<Sku, Integer> cart = held.computeIfAbsent(truth.credential(), c -> new TreeMap<>());
      carts.add(new TreeMap<>(cart));
      eventOf[t] = best;
      sameAs[t] = best >= 0 ? -1 : sameLoadChange(changes, eventOf, explained, t);
      if (best >= 0) {
        used[best] = true;
        latencies.add(explained.get(best).emittedTs() - truth.ts());
      }
      if (best >= 0 || sameAs[t] >= 0) {
        matched++;
      } else if (list) {
        System.out.println("  missed: " + truth);
      }
      cart.merge(truth.sku(), truth.action().equals("take") ? truth.units() : -truth.units(), Integer::sum);
    }
    int right = 0;
    for (int t = 0; t < changes.size(); t++) {
      if (eventOf[t] < 0) {
        continue;
      }
      Truth truth = changes.get(t);
      int units = truth.units();
      for (int u = t + 1; u < changes.size(); u++) {
        if (sameAs[u] == t) {
          units += changes.get(u).units();
        }
      }
      Detected d = explained.get(eventOf[t]);
      Map<Sku, Integer> candidates = d.event().isRemoval() ? binContents(layout, d.event()) : positive(carts.get(t));
      // What the shelf stage would record: the bin's own product is the likelier of two of nearly one weight.
      Sku own = layout.bin(d.event().bin()).map(Bin::sku).orElseThrow();
      ProductHypothesis hypothesis = LikeliestProduct.of(d.event(), resolver.resolve(d.event(), candidates), own,
          candidates).orElse(null);
      if (hypothesis != null && hypothesis.sku().equals(truth.sku()) && Math.abs(hypothesis.quantity()) == units) {
        right += 1;
      } else if (list) {
        System.out.println("  wrong product: " + truth + " (" + units + " units) got " + hypothesis + " from "
            + d.event());
      }
    }
    // A unit lifted and set back (inspect) really changes the load twice; events of it count neither way.
    int ignored = 0;
    for (int i = 0; i < explained.size(); i++) {
      if (!used[i] && explainedByInspect(explained.get(i).event(), truths)) {
        ignored++;
      } else if (!used[i] && list) {
        System.out.println("  spurious: " + explained.get(i).event());
      }
    }
    return new Figures(preset, changes.size(), explained.size(), ignored, matched, right, latencies,
        settleLatencies);
  }

  /**
   * The earlier true change that the unmatched change {@code t} is one load change with, or -1: the same party
   * taking (or putting back) more of the same product on the same plate before the load settled, which the shelf
   * cannot tell from one change of all those units, and which is the same on the party's receipt.
   */
  private static int sameLoadChange(List<Truth> changes, int[] eventOf, List<Detected> explained, int t) {
    Truth truth = changes.get(t);
    for (int u = t - 1; u >= 0; u--) {
      Truth earlier = changes.get(u);
      if (eventOf[u] < 0 || !earlier.bin().equals(truth.bin()) || !earlier.credential().equals(truth.credential())
          || !earlier.action().equals(truth.action()) || !earlier.sku().equals(truth.sku())) {
        continue;
      }
      ShelfEvent e = explained.get(eventOf[u]).event();
      if (e.startTs() - LEAD_MILLIS <= truth.ts() && truth.ts() <= e.endTs()) {
        return u;
      }
    }
    return -1;
  }

  /**
   * Whether {@code e} is the lift or the setting back of a unit inspected: the truth gives the time of the lift,
   * and the unit is set back up to {@link #INSPECT_MILLIS} later.
   */
  private static boolean explainedByInspect(ShelfEvent e, List<Truth> truths) {
    for (Truth t : truths) {
      if (t.action().equals("inspect") && e.bins().contains(t.bin())
          && e.startTs() - LEAD_MILLIS - INSPECT_MILLIS <= t.ts() && t.ts() <= e.startTs() + LAG_MILLIS) {
        return true;
      }
    }
    return false;
  }

  private static Map<Sku, Integer> positive(Map<Sku, Integer> cart) {
    Map<Sku, Integer> out = new TreeMap<>();
    cart.forEach((sku, n) -> {
      if (n > 0) {
        out.put(sku, n);
      }
    });
    return out;
  }

  /** The products the event's bins are stocked with, by the planogram. */
  private static Map<Sku, Integer> binContents(StoreLayout layout, ShelfEvent event) {
    Map<Sku, Integer> candidates = new TreeMap<>();
    for (BinId id : event.bins()) {
      layout.bin(id).map(Bin::sku).ifPresent(sku -> candidates.merge(sku, 8, Integer::sum));
    }
    return candidates;
  }

  private static List<Truth> readTruth(Path file) throws Exception {
    List<Truth> truths = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = MAPPER.readTree(line);
        truths.add(new Truth(node.get("ts").asLong(), BinId.of(node.get("bin").asText()), node.get("action").asText(),
            Sku.of(node.get("sku").asText()), node.get("units").asInt(), node.path("credential").asText("")));
      }
    }
    return truths;
  }
}
