package dev.jwo.cart.shelf;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEvent.PlateChange;
import dev.jwo.core.BinId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.Sku;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a change of several plates was: units taken (or put) at once on neighbouring plates, units lying across two
 * neighbouring plates, or both. A removal is judged with all its plates at once ({@link UnitsOnPlates}: whole units
 * per plate a hand reached into, some lying across, weighed by the losses they predict, a prior and which plates a
 * hand pressed on), each plate a hand reached into becoming one event. A put-back, a change whose plates went
 * different ways, or a removal no such explanation fits is split: a unit lies on its own plate or across it and one
 * beside it, so the plates are
 * split into parts of one plate, or of two neighbours whose loads went the same way; each part is explained by the
 * products its plates hold, and the split whose parts are best explained wins (the weight off by fewer standard
 * deviations, with a cost for every part beyond the first and for every unit lying across two plates). A change that no
 * split explains stays whole, or goes one plate at a time when its plates went different ways.
 */
public final class MultiPlateEvents {
  /** Above this many plates the splits are not tried (there are too many). */
  private static final int MAX_PLATES = 7;
  /** What one more part costs, in squared standard deviations: it takes a second hand at the same moment. */
  private static final double PART_COST = 4;
  /** What each unit lying across two plates costs, in squared standard deviations: most lie on their own plate. */
  private static final double ACROSS_COST = 4;

  private MultiPlateEvents() {}

  /**
   * The events to explain one by one: {@code event} itself, or its parts.
   *
   * @param layout which plates lie side by side
   * @param candidates what could explain an event (before knowing whose it is)
   * @param settings the load cells' noise
   */
  public static List<ShelfEvent> explainable(ShelfEvent event, StoreLayout layout, ProductResolver resolver,
      Function<ShelfEvent, Map<Sku, Integer>> candidates, ShelfSettings settings) {
    List<PlateChange> plates = event.plates();
    int n = plates.size();
    if (n < 2) {
      return List.of(event);
    }
    Optional<List<ShelfEvent>> units = UnitsOnPlates.explain(event, layout, candidates, settings.sensorNoiseGrams());
    if (units.isPresent()) {
      return units.get();
    }
    @Nullable List<ShelfEvent> best = null;
    double bestCost = Double.POSITIVE_INFINITY;
    if (n <= MAX_PLATES) {
      int[] blockOf = new int[n];
      do {
        List<List<PlateChange>> parts = parts(plates, blockOf);
        double cost = PART_COST * (parts.size() - 1);
        List<ShelfEvent> events = new ArrayList<>();
        for (List<PlateChange> part : parts) {
          if (cost >= bestCost || !possible(part, layout)) {
            cost = Double.POSITIVE_INFINITY;
            break;
          }
          ShelfEvent partEvent = of(part, event.confidence());
          ProductHypothesis hypothesis = resolver.resolve(partEvent, candidates.apply(partEvent)).best().orElse(null);
          if (hypothesis == null) {
            cost = Double.POSITIVE_INFINITY;
            break;
          }
          cost += hypothesis.zScore() * hypothesis.zScore()
              + (part.size() > 1 ? ACROSS_COST * Math.abs(hypothesis.quantity()) : 0);
          events.add(partEvent);
        }
        if (cost < bestCost) {
          bestCost = cost;
          best = events;
        }
      } while (next(blockOf));
    }
    if (best != null) {
      return best;
    }
    if (plates.stream().anyMatch(p -> p.deltaGrams() < 0 != event.isRemoval())) {
      return plates.stream().map(p -> ShelfEvent.ofPlate(p, event.confidence())).toList();
    }
    return List.of(event);
  }

  /** Whether {@code part} could be one product's units: one plate, or two neighbours that went the same way. */
  private static boolean possible(List<PlateChange> part, StoreLayout layout) {
    if (part.size() == 1) {
      return true;
    }
    if (part.size() > 2) {
      return false;
    }
    PlateChange a = part.get(0);
    PlateChange b = part.get(1);
    return (a.deltaGrams() < 0) == (b.deltaGrams() < 0) && layout.neighbours(a.bin()).contains(b.bin());
  }

  /** One event of the plates of a part; its bin is the plate whose load changed most. */
  static ShelfEvent of(List<PlateChange> part, double confidence) {
    if (part.size() == 1) {
      return ShelfEvent.ofPlate(part.get(0), confidence);
    }
    PlateChange main = part.stream()
        .max(Comparator.comparingDouble((PlateChange c) -> Math.abs(c.deltaGrams()))
            .thenComparing(PlateChange::bin, Comparator.reverseOrder()))
        .orElseThrow();
    return withMain(part, main.bin(), confidence);
  }

  /** One event of the plates of a part, of bin {@code main}: their deltas summed, their spans joined. */
  static ShelfEvent withMain(List<PlateChange> part, BinId main, double confidence) {
    double delta = 0;
    double variance = 0;
    for (PlateChange c : part) {
      delta += c.deltaGrams();
      variance += c.deltaSdGrams() * c.deltaSdGrams();
    }
    return new ShelfEvent(main, part.stream().mapToLong(PlateChange::startTs).min().orElseThrow(),
        part.stream().mapToLong(PlateChange::endTs).max().orElseThrow(), delta, Math.sqrt(variance), confidence,
        part);
  }

  private static List<List<PlateChange>> parts(List<PlateChange> plates, int[] blockOf) {
    List<List<PlateChange>> parts = new ArrayList<>();
    for (int i = 0; i < blockOf.length; i++) {
      while (parts.size() <= blockOf[i]) {
        parts.add(new ArrayList<>());
      }
      parts.get(blockOf[i]).add(plates.get(i));
    }
    return parts;
  }

  /**
   * The next way to split the plates, as the part of each plate (a restricted growth string: each plate's part is
   * at most one more than the largest before it); false after the last.
   */
  private static boolean next(int[] blockOf) {
    for (int i = blockOf.length - 1; i > 0; i--) {
      int highest = 0;
      for (int j = 0; j < i; j++) {
        highest = Math.max(highest, blockOf[j]);
      }
      if (blockOf[i] <= highest) {
        blockOf[i]++;
        for (int j = i + 1; j < blockOf.length; j++) {
          blockOf[j] = 0;
        }
        return true;
      }
    }
    return false;
  }
}
