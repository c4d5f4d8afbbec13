package dev.jwo.testing.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.jwo.core.Point3;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.HandSighting;
import org.junit.jupiter.api.Test;

class ScriptedShopperLocatorTest {
  static final Point3 FRONT = new Point3(4, 4, 1.1);

  @Test
  void answersTheHandsWithinTheRadiusAndTimesAskedInTimeOrder() {
    ScriptedShopperLocator hands = new ScriptedShopperLocator()
        .seen(TrackId.of("t2"), VisitId.of("v-b"), new Point3(4, 3.8, 1.1), 1_300)
        .seen(TrackId.of("t1"), null, new Point3(4, 3.9, 1.1), 1_000)
        .seen(TrackId.of("t1"), null, new Point3(4, 3.0, 1.1), 1_100)
        .seen(TrackId.of("t3"), VisitId.of("v-c"), new Point3(4, 4, 1.1), 999)
        .seen(TrackId.of("t0"), VisitId.of("v-a"), new Point3(4.1, 4, 1.1), 1_300);

    assertThat(hands.handsNear(FRONT, 0.5, 1_000, 1_300))
        .extracting(HandSighting::track, HandSighting::ts)
        .containsExactly(
            tuple(TrackId.of("t1"), 1_000L),
            tuple(TrackId.of("t0"), 1_300L),
            tuple(TrackId.of("t2"), 1_300L));
  }
}
