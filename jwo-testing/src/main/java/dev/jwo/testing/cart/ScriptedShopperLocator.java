package dev.jwo.testing.cart;

import dev.jwo.core.Point3;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ShopperLocator} that answers from hand sightings a test wrote down: those within the radius and the
 * time range asked for, in time order (then by track). It keeps every sighting; there is no history limit.
 */
public final class ScriptedShopperLocator implements ShopperLocator {
  private final List<HandSighting> sightings = new ArrayList<>();

  /** Records a hand of {@code track} (linked to {@code visit}, or unidentified when null) at {@code hand}. */
  public ScriptedShopperLocator seen(TrackId track, @Nullable VisitId visit, Point3 hand, long ts) {
    sightings.add(new HandSighting(track, visit, hand, ts));
    return this;
  }

  @Override
  public List<HandSighting> handsNear(Point3 point, double radiusMetres, long fromTs, long toTs) {
    return sightings.stream()
        .filter(s -> s.ts() >= fromTs && s.ts() <= toTs && s.hand().distanceTo(point) <= radiusMetres)
        .sorted(Comparator.comparingLong(HandSighting::ts).thenComparing(HandSighting::track))
        .toList();
  }
}
