package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.BinId;
import dev.jwo.core.event.WeightEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Load-cell readings to shelf events, with {@link ShelfSettings#DEFAULTS}: changes above 6 g count, and settle
 * when three or more readings stay within 6 g for 400 ms.
 */
class SettlingShelfDetectorTest {
  static final long T = 1_764_410_400_000L;
  static final BinId BIN = BinId.of("A1-1");
  /** Tare plus 20 bottles of 520 g. */
  static final double FULL = 500 + 20 * 520;

  private final SettlingShelfDetector detector = new SettlingShelfDetector(ShelfSettings.DEFAULTS);
  private final List<ShelfEvent> events = new ArrayList<>();

  @Test
  void aCleanPickGivesOneEventWithTheWeightTaken() {
    steady(T, 5, FULL);
    read(T + 5_500, FULL - 520.4);
    read(T + 5_600, FULL - 519.8);
    read(T + 5_700, FULL - 520.1);
    read(T + 5_800, FULL - 520.3);
    read(T + 5_900, FULL - 519.9);
    steady(T + 6_000, 5, FULL - 520);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.bin()).isEqualTo(BIN);
      assertThat(e.deltaGrams()).isCloseTo(-520, within(0.5));
      assertThat(e.isRemoval()).isTrue();
      assertThat(e.startTs()).isEqualTo(T + 5_500);
      assertThat(e.endTs()).isBetween(T + 5_500, T + 6_000);
    });
  }

  @Test
  void noiseGlitchesAndSlowDriftGiveNoEvents() {
    Random noise = new Random(7);
    for (int s = 0; s < 3_600; s++) {
      double drift = 50.0 * s / 3_600;
      double glitch = s == 1_000 ? 15 : 0;
      read(T + 1_000L * s, FULL + drift + glitch + (noise.nextDouble() * 8 - 4));
    }

    assertThat(events).isEmpty();
    assertThat(detector.flush(T + 3_600_000)).isEmpty();
  }

  @Test
  void spikesWhileAHandPressesOnTheShelfStillGiveOneEventOfTheSettledChange() {
    steady(T, 3, FULL);
    double[] pressing = {FULL + 250, FULL + 500, FULL - 200, FULL + 120, FULL - 550, FULL - 510, FULL - 522,
        FULL - 519, FULL - 520, FULL - 521, FULL - 519, FULL - 520, FULL - 520};
    for (int i = 0; i < pressing.length; i++) {
      read(T + 3_000 + 100L * i, pressing[i]);
    }
    steady(T + 5_000, 3, FULL - 520);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-520, within(1.0));
      assertThat(e.startTs()).isEqualTo(T + 3_000);
    });
  }

  @Test
  void twoSuccessivePicksAndAPutBackGiveThreeEvents() {
    steady(T, 3, FULL);
    steady(T + 3_000, 20, FULL - 520, 100);
    steady(T + 5_000, 20, FULL - 1_040, 100);
    steady(T + 7_000, 20, FULL - 520, 100);

    assertThat(events).extracting(ShelfEvent::deltaGrams).satisfiesExactly(
        d -> assertThat(d).isCloseTo(-520, within(0.01)),
        d -> assertThat(d).isCloseTo(-520, within(0.01)),
        d -> assertThat(d).isCloseTo(520, within(0.01)));
    assertThat(events.get(2).isRemoval()).isFalse();
  }

  @Test
  void aChangeStillSettlingIsCompletedWhenTheInputEnds() {
    steady(T, 3, FULL);
    read(T + 3_000, FULL - 519);
    read(T + 3_100, FULL - 521);
    assertThat(events).as("not settled for 400 ms yet").isEmpty();

    assertThat(detector.flush(T + 3_200)).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-520, within(0.01));
      assertThat(e.startTs()).isEqualTo(T + 3_000);
    });
    assertThat(detector.flush(T + 3_300)).isEmpty();
  }

  @Test
  void binsAreIndependent() {
    BinId other = BinId.of("A1-2");
    for (int i = 0; i < 20; i++) {
      long ts = T + 100L * i;
      read(ts, i < 3 ? FULL : FULL - 520);
      events.addAll(detector.onReading(new WeightEvent(ts + 1, other, 2_660)));
    }

    assertThat(events).singleElement().extracting(ShelfEvent::bin).isEqualTo(BIN);
  }

  @Test
  void aPressThatIsBrieflyStillMidReachIsNotASettledChange() {
    steady(T, 3, FULL);
    // A hand presses 40 g for 3 s (a half-sine: still near its top for about half a second) and takes one unit.
    for (int i = 0; i <= 30; i++) {
      double press = 40 * Math.sin(Math.PI * i / 30.0);
      read(T + 3_000 + 100L * i, (i < 20 ? FULL : FULL - 520) + press);
    }
    steady(T + 6_100, 20, FULL - 520, 100);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-520, within(1.0));
      assertThat(e.startTs()).isBetween(T + 3_000, T + 3_300);
    });
  }

  @Test
  void aUnitLiftedAndPutStraightBackGivesNoEvent() {
    steady(T, 3, FULL);
    steady(T + 3_000, 8, FULL - 520, 100);
    steady(T + 3_800, 20, FULL, 100);
    steady(T + 6_000, 3, FULL);

    assertThat(events).isEmpty();
    assertThat(detector.flush(T + 9_000)).isEmpty();
  }

  @Test
  void aNoisierLoadCellRaisesItsOwnThresholds() {
    Random noise = new Random(11);
    for (int i = 0; i < 600; i++) {
      read(T + 100L * i, FULL + 3.0 * noise.nextGaussian());
    }
    for (int i = 600; i < 640; i++) {
      read(T + 100L * i, FULL - 163 + 3.0 * noise.nextGaussian());
    }

    assertThat(events).singleElement().satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-163, within(4.0)));
  }

  private void steady(long from, int readings, double grams) {
    steady(from, readings, grams, 1_000);
  }

  private void steady(long from, int readings, double grams, long periodMillis) {
    for (int i = 0; i < readings; i++) {
      read(from + periodMillis * i, grams);
    }
  }

  private void read(long ts, double grams) {
    events.addAll(detector.onReading(new WeightEvent(ts, BIN, grams)));
  }
}
