package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.TestLayouts;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Point3;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whose hand took it, with {@link ShelfSettings#DEFAULTS}: hands within 0.5 m of the bin's front, from 1.5 s before
 * the change to 0.3 s after it; the nearest visit must be nearer than the others by 0.12 m.
 */
class NearestHandAttributorTest {
  static final long T = 1_764_410_400_000L;
  static final VisitId ALICE = VisitId.of("v-alice");
  static final VisitId BOB = VisitId.of("v-bob");

  private final Bin bin = TestLayouts.store().bin(BinId.of("A1-1")).orElseThrow();
  private final ShelfEvent event = new ShelfEvent(bin.id(), T, T + 600, -520);
  private final NearestHandAttributor attributor = new NearestHandAttributor(ShelfSettings.DEFAULTS);
  private final Hands hands = new Hands();

  @Test
  void theVisitWhoseHandCameNearestGetsIt() {
    hands.seen("t1", ALICE, 0.05, T + 100);
    hands.seen("t1", ALICE, 0.30, T + 400);
    hands.seen("t2", BOB, 0.35, T + 200);

    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.visit()).isEqualTo(ALICE);
    assertThat(attribution.confident()).isTrue();
    assertThat(attribution.explanation()).contains("v-alice").contains("0.05 m");
  }

  @Test
  void handsOfTwoVisitsAtNearlyTheSameDistanceAreNotConfident() {
    hands.seen("t1", ALICE, 0.10, T + 100);
    hands.seen("t2", BOB, 0.15, T + 200);

    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.confident()).isFalse();
    assertThat(attribution.visit()).isEqualTo(ALICE);
    assertThat(attribution.explanation()).contains("hands of two visits").contains("0.10 m").contains("0.15 m");
  }

  @Test
  void anUnidentifiedPersonsHandClearlyNearerIsNotConfident() {
    hands.seen("t1", ALICE, 0.30, T + 100);
    hands.seen("t9", null, 0.05, T + 200);

    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.confident()).isFalse();
    assertThat(attribution.visit()).isEqualTo(ALICE);
    assertThat(attribution.explanation()).contains("unidentified");
  }

  @Test
  void anUnidentifiedHandAboutAsFarAsTheShoppersDoesNotCastDoubt() {
    hands.seen("t1", ALICE, 0.30, T + 100);
    hands.seen("t9", null, 0.25, T + 200);

    assertThat(attributor.attribute(event, bin, hands).confident()).isTrue();
  }

  @Test
  void withoutHandsNearbyNobodyGetsIt() {
    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.visit()).isNull();
    assertThat(attribution.confident()).isFalse();
    assertThat(attribution.explanation()).contains("no hand was seen near bin A1-1");
  }

  @Test
  void onlyAnUnidentifiedHandMeansNobody() {
    hands.seen("t9", null, 0.02, T + 200);

    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.visit()).isNull();
    assertThat(attribution.explanation()).contains("unidentified person (t9)");
  }

  @Test
  void handsAreLookedForAroundTheTimeOfTheChange() {
    hands.seen("t2", BOB, 0.01, T - 1_501);
    hands.seen("t2", BOB, 0.01, T + 901);
    hands.seen("t1", ALICE, 0.20, T - 1_500);

    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.visit()).isEqualTo(ALICE);
    assertThat(attribution.confident()).isTrue();
    assertThat(hands.asked).containsExactly(new Query(bin.front(), 0.5, T - 1_500, T + 900));
  }

  @Test
  void aHandOnATrackWhoseIdentityIsInDoubtIsNotConfident() {
    hands.seen("t1", ALICE, 0.05, T + 100);
    hands.doubted("t1", T - 10_000);

    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.visit()).isEqualTo(ALICE);
    assertThat(attribution.confident()).isFalse();
    assertThat(attribution.explanation()).contains("t1").contains("in doubt");
  }

  @Test
  void aDoubtArisingOnlyAfterThePickDoesNotMatter() {
    hands.seen("t1", ALICE, 0.05, T + 100);
    hands.doubted("t1", T + 5_000);

    Attribution attribution = attributor.attribute(event, bin, hands);

    assertThat(attribution.visit()).isEqualTo(ALICE);
    assertThat(attribution.confident()).isTrue();
  }

  record Query(Point3 point, double radius, long fromTs, long toTs) {}

  /** Hands at given distances in front of the bin; answers like a tracker would, and records what it was asked. */
  final class Hands implements ShopperLocator {
    final List<HandSighting> sightings = new ArrayList<>();
    final List<Query> asked = new ArrayList<>();
    final java.util.Map<TrackId, Long> doubtedSince = new java.util.HashMap<>();

    void doubted(String track, long since) {
      doubtedSince.put(TrackId.of(track), since);
    }

    @Override
    public boolean identityInDoubt(TrackId track, long ts) {
      Long since = doubtedSince.get(track);
      return since != null && since <= ts;
    }

    void seen(String track, VisitId visit, double metresInFront, long ts) {
      Point3 front = bin.front();
      sightings.add(new HandSighting(TrackId.of(track), visit,
          new Point3(front.x(), front.y() - metresInFront, front.z()), ts));
    }

    @Override
    public List<HandSighting> handsNear(Point3 point, double radiusMetres, long fromTs, long toTs) {
      asked.add(new Query(point, radiusMetres, fromTs, toTs));
      return sightings.stream()
          .filter(s -> s.hand().distanceTo(point) <= radiusMetres && s.ts() >= fromTs && s.ts() <= toTs)
          .sorted(Comparator.comparingLong(HandSighting::ts))
          .toList();
    }
  }
}
