package dev.jwo.cart.checkout;

import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.cart.ShelfEventBelief.Outcome;
import dev.jwo.core.Sku;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.DoubtfulLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The probability that a visit's receipt is exactly right, from the shelf events it depends on: each event adds
 * a quantity of a product to the receipt with some probability, or nothing; the events are taken as independent,
 * and the receipt is right when the sum equals the lines drawn up. Summing over the ways the events could have
 * gone, rather than multiplying each event's doubt, makes doubt that cannot change the receipt cost nothing (two
 * events of the same product each uncertain between the same two visits, a pick shared by two tracks of one party).
 * Also names the events in doubt, each with its alternatives, for the reviewer.
 */
final class ReceiptProbability {
  /** An event whose effect on the receipt is at least this sure is not shown to a reviewer. */
  static final double SURE = 0.999;
  /** Alternatives less likely than this are not shown. */
  static final double SHOWN = 0.001;
  /**
   * Ways of the receipt less likely than this are dropped, and at most {@link #MAX_STATES} are kept: the likeliest,
   * so that a long visit among many doubtful events costs bounded time (the receipts of the benchmark's presets are
   * the same with 512 ways as with 4,096, at a fifth of the time in the hard preset).
   */
  private static final double NEGLIGIBLE = 1e-9;
  private static final int MAX_STATES = 512;

  record Result(double probability, List<DoubtfulLine> doubtful) {}

  private ReceiptProbability() {}

  /**
   * @param known what the receipt holds for certain, apart from the events
   * @param drawn the receipt's lines, quantities above zero
   */
  static Result of(VisitId visit, Map<Sku, Integer> known, Map<Sku, Integer> drawn, List<ShelfEventBelief> events) {
    Map<Map<Sku, Integer>, Double> ways = new HashMap<>();
    ways.put(new TreeMap<>(known), 1.0);
    List<DoubtfulLine> doubtful = new ArrayList<>();
    for (ShelfEventBelief event : events) {
      Map<Outcome, Double> deltas = effects(visit, event);
      double nothing = 1;
      double unexplained = 0;
      for (Outcome o : event.outcomes()) {
        if (visit.equals(o.visit())) {
          nothing -= o.probability();
          if (o.sku() == null) {
            unexplained += o.probability();
          }
        }
      }
      nothing = Math.max(0, nothing);
      doubt(visit, event, deltas, nothing, unexplained).ifPresent(doubtful::add);
      if (deltas.isEmpty()) {
        // Nothing the event could add: every way keeps its lines, weighed by the chance the event was not this
        // visit's (or was, but no product named).
        if (nothing < 1) {
          double keep = nothing;
          ways.replaceAll((lines, p) -> p * keep);
          ways.values().removeIf(p -> p <= NEGLIGIBLE);
        }
        continue;
      }
      Map<Map<Sku, Integer>, Double> next = new HashMap<>();
      for (Map.Entry<Map<Sku, Integer>, Double> way : ways.entrySet()) {
        add(next, way.getKey(), way.getValue() * nothing);
        for (Map.Entry<Outcome, Double> delta : deltas.entrySet()) {
          Map<Sku, Integer> after = new TreeMap<>(way.getKey());
          after.merge(Objects.requireNonNull(delta.getKey().sku()), delta.getKey().quantity(), Integer::sum);
          add(next, after, way.getValue() * delta.getValue());
        }
      }
      ways = prune(next);
    }
    double right = 0;
    for (Map.Entry<Map<Sku, Integer>, Double> way : ways.entrySet()) {
      Map<Sku, Integer> lines = new TreeMap<>(way.getKey());
      lines.values().removeIf(q -> q <= 0);
      if (lines.equals(drawn)) {
        right += way.getValue();
      }
    }
    return new Result(Math.max(0, Math.min(1, right)), doubtful);
  }

  /** What the event may add to the visit's receipt (a product and quantity), with its probability. */
  private static Map<Outcome, Double> effects(VisitId visit, ShelfEventBelief event) {
    Map<Outcome, Double> deltas = new HashMap<>();
    for (Outcome o : event.outcomes()) {
      if (o.charges(visit)) {
        deltas.merge(new Outcome(visit, o.sku(), o.quantity(), 0), o.probability(), Double::sum);
      }
    }
    return deltas;
  }

  private static Optional<DoubtfulLine> doubt(VisitId visit, ShelfEventBelief event,
      Map<Outcome, Double> deltas, double nothing, double unexplained) {
    Outcome chosen = event.chosen();
    Outcome drawn = chosen != null && chosen.charges(visit) ? chosen : null;
    double asDrawn = drawn != null
        ? deltas.getOrDefault(new Outcome(visit, drawn.sku(), drawn.quantity(), 0), 0.0)
        : nothing;
    if (asDrawn >= SURE) {
      return Optional.empty();
    }
    List<DoubtfulLine.Alternative> alternatives = new ArrayList<>();
    for (Outcome o : event.outcomes()) {
      boolean isDrawn = drawn != null && o.charges(visit) && Objects.equals(o.sku(), drawn.sku())
          && o.quantity() == drawn.quantity();
      VisitId who = o.visit();
      if (!isDrawn && o.probability() >= SHOWN) {
        alternatives.add(new DoubtfulLine.Alternative(who == null ? "nobody" : who.value(), o.sku(),
            o.quantity(), o.probability()));
      }
    }
    alternatives.sort(Comparator.comparingDouble(DoubtfulLine.Alternative::probability).reversed());
    Sku sku = drawn != null ? drawn.sku() : event.outcomes().stream()
        .filter(o -> visit.equals(o.visit()) && o.sku() != null).map(Outcome::sku).findFirst().orElse(null);
    int quantity = drawn != null ? drawn.quantity() : 0;
    String evidence = event.evidence() + (unexplained > 0.001
        ? String.format(Locale.ROOT, "; no product explains it with p %.3f", unexplained) : "");
    return Optional.of(new DoubtfulLine(event.event().endTs(), event.event().bin(), sku, quantity,
        Math.max(0, Math.min(1, asDrawn)), alternatives, event.tracks(), evidence));
  }

  private static void add(Map<Map<Sku, Integer>, Double> ways, Map<Sku, Integer> way, double p) {
    if (p > NEGLIGIBLE) {
      ways.merge(way, p, Double::sum);
    }
  }

  private static Map<Map<Sku, Integer>, Double> prune(Map<Map<Sku, Integer>, Double> ways) {
    if (ways.size() <= MAX_STATES) {
      return ways;
    }
    Map<Map<Sku, Integer>, Double> kept = new HashMap<>();
    ways.entrySet().stream()
        .sorted(Map.Entry.<Map<Sku, Integer>, Double>comparingByValue().reversed())
        .limit(MAX_STATES)
        .forEach(e -> kept.put(e.getKey(), e.getValue()));
    return kept;
  }
}
