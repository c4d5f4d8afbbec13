package dev.jwo.testing.cart;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Bin;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simple, cautious {@link PickAttributor} for tests: a hand is in reach within 10 cm of any point of the bin's
 * front, from half a second before the change until 200 ms after it. The visit whose hand came nearest gets the
 * event, but confidently only when it is the one visit, and no unidentified person, that reached in at all.
 * Where the default weighs how much nearer one hand was, this one only asks whether anybody else was there.
 */
public final class ExclusiveReachAttributor implements PickAttributor {
  private static final double REACH_METRES = 0.1;
  private static final long LEAD_MILLIS = 500;
  private static final long LAG_MILLIS = 200;

  @Override
  public Attribution attribute(ShelfEvent event, Bin bin, ShopperLocator hands) {
    List<HandSighting> sightings = hands.handsNear(
        bin.front(), bin.widthMetres() / 2 + REACH_METRES, event.startTs() - LEAD_MILLIS, event.endTs() + LAG_MILLIS);
    Map<VisitId, Double> nearest = new TreeMap<>();
    boolean unidentified = false;
    for (HandSighting sighting : sightings) {
      VisitId visit = sighting.visit();
      if (visit == null) {
        unidentified = true;
      } else {
        nearest.merge(visit, sighting.hand().distanceTo(bin.front()), Math::min);
      }
    }
    if (nearest.isEmpty()) {
      return Attribution.nobody((unidentified ? "only an unidentified person" : "nobody") + " reached into bin "
          + bin.id());
    }
    VisitId best = nearest.entrySet().stream()
        .min(Map.Entry.<VisitId, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .orElseThrow()
        .getKey();
    String reached = String.format(Locale.ROOT, "%s reached into bin %s (%.2f m)", best, bin.id(), nearest.get(best));
    if (nearest.size() > 1) {
      return new Attribution(best, false, reached + ", and so did " + (nearest.size() - 1) + " other visit(s)");
    }
    if (unidentified) {
      return new Attribution(best, false, reached + ", and so did an unidentified person");
    }
    return new Attribution(best, true, reached + ", nobody else did");
  }
}
