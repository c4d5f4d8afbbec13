package dev.jwo.cart.shelf;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Bin;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Gives a shelf event to the visit whose shopper's hand came nearest the bin's front while the load changed.
 * It is confident when that hand was clearly nearer than any other visit's, no unidentified person's hand was
 * nearer still, and the tracker had no doubt whose track the hand was on.
 */
public final class NearestHandAttributor implements PickAttributor {
  private final ShelfSettings settings;

  @Inject
  public NearestHandAttributor(ShelfSettings settings) {
    this.settings = settings;
  }

  @Override
  public Attribution attribute(ShelfEvent event, Bin bin, ShopperLocator hands) {
    double radius = Math.max(settings.handRadiusMetres(), bin.widthMetres() / 2 + 0.25);
    List<HandSighting> sightings = hands.handsNear(
        bin.front(), radius, event.startTs() - settings.handLeadMillis(), event.endTs() + settings.handLagMillis());
    if (sightings.isEmpty()) {
      return Attribution.nobody("no hand was seen near bin " + bin.id() + " while its load changed");
    }
    Map<VisitId, Double> nearestByVisit = new HashMap<>();
    Map<VisitId, TrackId> nearestTrackByVisit = new HashMap<>();
    double nearestUnlinked = Double.MAX_VALUE;
    TrackId unlinkedTrack = null;
    for (HandSighting s : sightings) {
      double d = s.hand().distanceTo(bin.front());
      if (s.visit() == null) {
        if (d < nearestUnlinked) {
          nearestUnlinked = d;
          unlinkedTrack = s.track();
        }
      } else {
        Double known = nearestByVisit.get(s.visit());
        if (known == null || d < known) {
          nearestByVisit.put(s.visit(), d);
          nearestTrackByVisit.put(s.visit(), s.track());
        }
      }
    }
    if (nearestByVisit.isEmpty()) {
      return Attribution.nobody("only the hand of an unidentified person (" + unlinkedTrack + ") was near bin "
          + bin.id());
    }
    List<Map.Entry<VisitId, Double>> ranked = nearestByVisit.entrySet().stream()
        .sorted(Map.Entry.<VisitId, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .toList();
    VisitId best = ranked.get(0).getKey();
    double bestDistance = ranked.get(0).getValue();
    double runnerUp = ranked.size() > 1 ? ranked.get(1).getValue() : Double.MAX_VALUE;
    if (runnerUp - bestDistance < settings.minHandMarginMetres()) {
      return new Attribution(best, false, String.format(Locale.ROOT,
          "hands of two visits were near bin %s (%.2f m and %.2f m)", bin.id(), bestDistance, runnerUp));
    }
    if (nearestUnlinked + settings.minHandMarginMetres() <= bestDistance) {
      return new Attribution(best, false, String.format(Locale.ROOT,
          "an unidentified person's hand was nearer bin %s (%.2f m) than the shopper's (%.2f m)",
          bin.id(), nearestUnlinked, bestDistance));
    }
    TrackId bestTrack = nearestTrackByVisit.get(best);
    if (bestTrack != null && hands.identityInDoubt(bestTrack, event.startTs())) {
      return new Attribution(best, false, String.format(Locale.ROOT,
          "the hand near bin %s (%.2f m) was on track %s, which had come close to a shopper of another visit,"
              + " so whose it is is in doubt", bin.id(), bestDistance, bestTrack));
    }
    return new Attribution(best, true, String.format(Locale.ROOT,
        "hand of %s nearest bin %s (%.2f m)", Objects.toString(best), bin.id(), bestDistance));
  }
}
