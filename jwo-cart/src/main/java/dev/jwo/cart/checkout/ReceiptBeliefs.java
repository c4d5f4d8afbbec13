package dev.jwo.cart.checkout;

import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.core.VisitId;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shelf events each open visit's receipt depends on: the events written into its cart, and those given to
 * another visit (or to nobody) that it may have made. Written by the shelf stage, read by the checkout, forgotten
 * when the visit is settled. Rebuilt, like the carts, by replaying the input. Pipeline thread only.
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

  void forget(VisitId visit) {
    byVisit.remove(visit);
  }
}
