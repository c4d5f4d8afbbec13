package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEvent.PlateChange;
import dev.jwo.cart.TestLayouts;
import dev.jwo.core.BinId;
import dev.jwo.core.Shelf;
import dev.jwo.core.ShelfId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.WeightEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Load-cell readings to shelf events, with {@link ShelfSettings#DEFAULTS}: changes above 6 g (or four noise
 * deviations) count, and settle when the readings of the last 800 ms are level.
 */
class SettlingShelfDetectorTest {
  static final long T = 1_764_410_400_000L;
  static final BinId BIN = BinId.of("A1-1");
  static final BinId LEFT = BinId.of("A1-2");
  static final BinId APART = BinId.of("A1-5");
  /** Tare plus 20 bottles of 520 g. */
  static final double FULL = 500 + 20 * 520;

  private SettlingShelfDetector detector = new SettlingShelfDetector(ShelfSettings.DEFAULTS);
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
      assertThat(e.plates()).singleElement().extracting(PlateChange::bin).isEqualTo(BIN);
      assertThat(e.confidence()).isGreaterThan(0.99);
      assertThat(e.deltaSdGrams()).isPositive().isLessThan(2);
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
    assertThat(events).as("not settled yet").isEmpty();

    assertThat(detector.flush(T + 3_200)).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-520, within(0.01));
      assertThat(e.startTs()).isEqualTo(T + 3_000);
      assertThat(e.confidence()).as("it never settled").isLessThanOrEqualTo(0.5);
    });
    assertThat(detector.flush(T + 3_300)).isEmpty();
  }

  @Test
  void binsOnNoShelfAreIndependent() {
    for (int i = 0; i < 20; i++) {
      long ts = T + 100L * i;
      read(ts, i < 12 ? FULL : FULL - 520);
      events.addAll(detector.onReading(new WeightEvent(ts + 1, LEFT, 2_660)));
    }

    assertThat(events).isEmpty();
    events.addAll(detector.flush(T + 2_000));
    assertThat(events).singleElement().extracting(ShelfEvent::bin).isEqualTo(BIN);
  }

  @Test
  void aPressThatIsBrieflyStillMidReachIsNotASettledChange() {
    steady(T, 3, FULL);
    // A hand presses 60 g for 3 s (a half-sine: still near its top for about half a second) and takes one unit.
    for (int i = 0; i <= 30; i++) {
      double press = 60 * Math.sin(Math.PI * i / 30.0);
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
    steady(T + 3_000, 5, FULL - 520, 100);
    steady(T + 3_500, 20, FULL, 100);
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

  @ParameterizedTest(name = "{0} Hz")
  @ValueSource(ints = {1, 2, 5, 10, 30, 60, 100})
  void theSameSettingsWorkAtAnyRate(int hertz) {
    Random noise = new Random(hertz);
    long period = 1_000 / hertz;
    List<Long> emitted = new ArrayList<>();
    for (long ts = T; ts < T + 40_000; ts += period) {
      double load = FULL - (ts >= T + 10_000 ? 520 : 0) - (ts >= T + 25_000 ? 163 : 0);
      int before = events.size();
      read(ts, load + 2.5 * noise.nextGaussian());
      if (events.size() > before) {
        emitted.add(ts);
      }
    }

    assertThat(events).extracting(ShelfEvent::deltaGrams).satisfiesExactly(
        d -> assertThat(d).isCloseTo(-520, within(3.0)),
        d -> assertThat(d).isCloseTo(-163, within(3.0)));
    long settleDelay = Math.max(1_000, 3 * period);
    assertThat(emitted.get(0) - (T + 10_000)).as("latency").isLessThanOrEqualTo(settleDelay + period);
    assertThat(emitted.get(1) - (T + 25_000)).as("latency").isLessThanOrEqualTo(settleDelay + period);
  }

  @Test
  void irregularReadingsAreNoHarder() {
    Random random = new Random(5);
    long ts = T;
    while (ts < T + 30_000) {
      double load = ts >= T + 12_000 ? FULL - 1_040 : FULL;
      read(ts, load + 1.5 * random.nextGaussian());
      ts += 5 + random.nextInt(random.nextDouble() < 0.1 ? 900 : 60);
    }

    assertThat(events).singleElement().satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-1_040, within(3.0)));
  }

  @Test
  void spikesAtSixtyHertzNeitherTriggerNorBlock() {
    Random random = new Random(17);
    for (int i = 0; i < 60 * 40; i++) {
      long ts = T + i * 1_000L / 60;
      double load = ts >= T + 20_000 ? FULL - 520 : FULL;
      double spike = random.nextDouble() < 0.02 ? (random.nextBoolean() ? 1 : -1) * (20 + 150 * random.nextDouble()) : 0;
      read(ts, load + 3.6 * random.nextGaussian() + spike);
    }

    assertThat(events).singleElement().satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-520, within(3.0)));
  }

  @Test
  void aHeavyNoisyCellStillFindsItsChanges() {
    Random random = new Random(23);
    for (int i = 0; i < 60 * 60; i++) {
      long ts = T + i * 1_000L / 60;
      double load = FULL - (ts >= T + 20_000 ? 1_561 : 0) - (ts >= T + 40_000 ? 521 : 0);
      read(ts, load + 25 * random.nextGaussian());
    }

    assertThat(events).extracting(ShelfEvent::deltaGrams).satisfiesExactly(
        d -> assertThat(d).isCloseTo(-1_561, within(10.0)),
        d -> assertThat(d).isCloseTo(-521, within(10.0)));
  }

  /**
   * A 28 g pack on a cell whose single readings have a deviation of 14 g, mostly of high frequency (as real cells'
   * noise is: their means over a second vary far less): two deviations of a reading, but many of a mean.
   */
  @ParameterizedTest(name = "{0} Hz")
  @ValueSource(ints = {30, 60, 100})
  void aSmallUnitOnANoisyCellIsFoundByItsMeans(int hertz) {
    Random random = new Random(hertz);
    double previous = 0;
    for (long ts = T; ts < T + 40_000; ts += 1_000 / hertz) {
      double load = FULL - (ts >= T + 15_000 ? 28 : 0) + (ts >= T + 28_000 ? 28 : 0);
      double e = random.nextGaussian();
      double highFrequency = (e - previous) / Math.sqrt(2);
      previous = e;
      read(ts, load + 14 * (0.7 * random.nextGaussian() + Math.sqrt(1 - 0.49) * highFrequency));
    }
    events.addAll(detector.flush(T + 40_000));

    assertThat(events).extracting(ShelfEvent::deltaGrams).satisfiesExactly(
        d -> assertThat(d).isCloseTo(-28, within(6.0)),
        d -> assertThat(d).isCloseTo(28, within(6.0)));
    assertThat(events.get(0).startTs()).isBetween(T + 14_500, T + 15_100);
  }

  /**
   * A hand presses about 30 g on a noisy cell as it reaches in, steady enough for a moment to look settled, and
   * takes a 164 g unit 0.9 s later: one event of the unit, not a put-back of the press and a take of the rest.
   */
  @ParameterizedTest(name = "{0} Hz")
  @ValueSource(ints = {30, 60})
  void aPressOnANoisyCellBeforeATakeIsNoChangeOfItsOwn(int hertz) {
    Random random = new Random(hertz);
    double previous = 0;
    for (long ts = T; ts < T + 30_000; ts += 1_000 / hertz) {
      double f = (ts - (T + 15_000)) / 2_500.0;
      double press = f > 0 && f < 1 ? 30 * Math.min(1, 4 * Math.sin(Math.PI * f)) : 0;
      double load = FULL + press - (ts >= T + 16_300 ? 164 : 0);
      double e = random.nextGaussian();
      double highFrequency = (e - previous) / Math.sqrt(2);
      previous = e;
      read(ts, load + 12 * (0.7 * random.nextGaussian() + Math.sqrt(1 - 0.49) * highFrequency));
    }
    events.addAll(detector.flush(T + 30_000));

    assertThat(events).singleElement().satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-164, within(6.0)));
  }

  @Test
  void noEventsUntilACellHasABaselineWhateverItsStartUp() {
    Random random = new Random(3);
    for (int i = 0; i < 60 * 20; i++) {
      long ts = T + i * 1_000L / 60;
      double warmUp = 180 * Math.exp(-(ts - T) / 400.0) * (i % 7 == 0 ? -1.5 : 1);
      read(ts, FULL + warmUp + 1.1 * random.nextGaussian());
    }

    assertThat(events).isEmpty();
    assertThat(detector.flush(T + 20_000)).isEmpty();
  }

  @Test
  void aUnitLyingAcrossTwoPlatesOfAShelfIsOneEventOfItsWholeWeight() {
    detector = new SettlingShelfDetector(ShelfSettings.DEFAULTS, shelved());
    Random random = new Random(29);
    for (int i = 0; i < 60 * 20; i++) {
      long ts = T + i * 1_000L / 60;
      boolean gone = ts >= T + 8_000;
      read(BIN, ts, FULL - (gone ? 360 : 0) + 1.1 * random.nextGaussian());
      read(LEFT, ts + 3, 2_660 - (gone && ts >= T + 8_040 ? 160 : 0) + 1.1 * random.nextGaussian());
    }

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-520, within(3.0));
      assertThat(e.bin()).isEqualTo(BIN);
      assertThat(e.bins()).containsExactly(BIN, LEFT);
      assertThat(e.plates()).extracting(PlateChange::deltaGrams).satisfiesExactlyInAnyOrder(
          d -> assertThat(d).isCloseTo(-360, within(3.0)),
          d -> assertThat(d).isCloseTo(-160, within(3.0)));
    });
  }

  @Test
  void aSmallLastingShiftMirroringANeighboursChangeIsCrossTalk() {
    detector = new SettlingShelfDetector(ShelfSettings.DEFAULTS, shelved());
    Random random = new Random(31);
    for (int i = 0; i < 60 * 20; i++) {
      long ts = T + i * 1_000L / 60;
      boolean gone = ts >= T + 8_000;
      read(BIN, ts, FULL - (gone ? 559 : 0) + 1.1 * random.nextGaussian());
      read(LEFT, ts + 3, 2_660 - (gone ? 9.2 : 0) + 1.1 * random.nextGaussian());
    }

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-559, within(2.0));
      assertThat(e.plates()).extracting(PlateChange::bin).containsExactly(BIN);
    });
  }

  @Test
  void aChangeOnAPlateOfAnotherShelfIsNotCombined() {
    detector = new SettlingShelfDetector(ShelfSettings.DEFAULTS, shelved());
    for (int i = 0; i < 100; i++) {
      long ts = T + 100L * i;
      read(BIN, ts, ts >= T + 5_000 ? FULL - 520 : FULL);
      read(APART, ts + 3, ts >= T + 5_000 ? 2_000 - 216 : 2_000);
    }

    assertThat(events).extracting(ShelfEvent::deltaGrams).containsExactlyInAnyOrder(-520.0, -216.0);
  }

  /** The test store with {@code A1-1} and {@code A1-2} side by side on one shelf, {@code A1-5} alone on another. */
  private static StoreLayout shelved() {
    StoreLayout plain = TestLayouts.store();
    return new StoreLayout(plain.storeId(), plain.jurisdiction(), plain.currency(), plain.floor(), plain.gates(),
        plain.products(), plain.bins(), plain.cameras(),
        List.of(new Shelf(ShelfId.of("A1-L1"), List.of(LEFT, BIN)), new Shelf(ShelfId.of("A1-L2"), List.of(APART))));
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
    read(BIN, ts, grams);
  }

  private void read(BinId bin, long ts, double grams) {
    events.addAll(detector.onReading(new WeightEvent(ts, bin, grams)));
  }
}
