package dev.jwo.cart.checkout;

import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.core.VisitId;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shelf events each open visit's receipt depends on: the events written into its cart, and those given to
 * another visit (or to nobody) that it may have made. Written by the shelf stage, read by the checkout, forgotten
 * when the visit is settled. Rebuilt, like the carts, by replaying the input, or restored from a pipeline snapshot
 * with the shelf stage's state. Pipeline thread only.
 */
@Singleton
public final class ReceiptBeliefs {
  private final Map<VisitId, List<ShelfEventBelief>> byVisit = new HashMap<>();

  /** Records an event for every visit it may concern. */
  public void record(ShelfEventBelief belief) {
    for (VisitId visit : belief.visits()) {
      byVisit.computeIfAbsent(visit, v -> new ArrayList<>()).add(belief);
    }
  }

  /**
   * Puts {@code revised} in the place of {@code belief} for every visit that recorded it: what an event was became
   * clearer with a later one (a unit set back).
   */
  public void replace(ShelfEventBelief belief, ShelfEventBelief revised) {
    for (List<ShelfEventBelief> events : byVisit.values()) {
      events.replaceAll(b -> b.equals(belief) ? revised : b);
    }
  }

  /** The events that may concern {@code visit}, in the order they were recorded. */
  public List<ShelfEventBelief> of(VisitId visit) {
    return List.copyOf(byVisit.getOrDefault(visit, List.of()));
  }

  /** Every visit's events, in order of visit: what a pipeline snapshot keeps. */
  public Map<VisitId, List<ShelfEventBelief>> all() {
    Map<VisitId, List<ShelfEventBelief>> all = new TreeMap<>();
    byVisit.forEach((visit, events) -> all.put(visit, List.copyOf(events)));
    return all;
  }

  /** Replaces every visit's events by {@code beliefs} (restoring a pipeline snapshot). */
  public void restore(Map<VisitId, List<ShelfEventBelief>> beliefs) {
    byVisit.clear();
    beliefs.forEach((visit, events) -> byVisit.put(visit, new ArrayList<>(events)));
  }

  void forget(VisitId visit) {
    byVisit.remove(visit);
  }
}
