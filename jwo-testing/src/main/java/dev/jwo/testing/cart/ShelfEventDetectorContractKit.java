package dev.jwo.testing.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Shelf;
import dev.jwo.core.ShelfId;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.WeightEvent;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link ShelfEventDetector} must keep for the pipeline to see each pick and put-back once.
 * Subclass it in your detector's tests and implement {@link #newDetector()}.
 *
 * <p>The readings are those of the store log format: a bin's total load with tare, a few grams of noise (here at
 * most {@value #NOISE_GRAMS} g either way), slow drift, about one reading a second while stable and ten while the
 * load changes. The changes to detect are of {@value #SMALLEST_CHANGE_GRAMS} g or more. Then as real cells
 * behave: any rate from 1 to 100 readings a second, irregular rates, single-reading spikes of 20-170 g in 2 % of
 * readings, a start-up transient, and a hand leaning on or cross-talk onto the plate beside a pick, also when it
 * shows only after the pick was returned (for a detector that reads the
 * layout's shelves: override {@link #newDetector(StoreLayout)}). Readings of NaN never
 * reach a detector (a {@link WeightEvent} cannot hold one; the pipeline rejects them as malformed), so the kit has
 * none.
 */
public abstract class ShelfEventDetectorContractKit {
  protected static final long T = 1_764_410_400_000L;
  protected static final BinId BIN = BinId.of("A1-1");
  protected static final BinId OTHER_BIN = BinId.of("A1-2");
  /** Tare plus twenty bottles of 520 g. */
  protected static final double FULL = 500 + 20 * 520;
  protected static final double UNIT = 520;
  protected static final double NOISE_GRAMS = 2.5;
  protected static final double SMALLEST_CHANGE_GRAMS = 100;
  /** How close a settled event's delta must be to the true change. */
  private static final double DELTA_TOLERANCE = 3;

  private ShelfEventDetector detector;
  // (replaced by a shelf-aware detector in the cross-talk test)
  private final List<ShelfEvent> events = new ArrayList<>();
  private final Random noise = new Random(42);

  /** A fresh detector that has seen no reading. */
  protected abstract ShelfEventDetector newDetector();

  /**
   * A fresh detector for a store whose layout declares shelves ({@link #shelved()}); by default
   * {@link #newDetector()}, for a detector that does not read the layout.
   */
  protected ShelfEventDetector newDetector(StoreLayout layout) {
    return newDetector();
  }

  /** A store with {@link #OTHER_BIN} and {@link #BIN} side by side on one shelf. */
  protected static StoreLayout shelved() {
    Currency usd = Currency.getInstance("USD");
    Sku water = Sku.of("0001");
    return new StoreLayout(StoreId.of("kit"), "US-IL", usd, new Floor(10, 10),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(1, 0))),
        List.of(new Product(water, "Water 500 ml", new Money(199, usd), UNIT, 3, false)),
        List.of(new Bin(BIN, water, new Point3(4, 4, 1.2), 0.4, 20),
            new Bin(OTHER_BIN, water, new Point3(4.4, 4, 1.2), 0.4, 20)),
        List.of(),
        List.of(new Shelf(ShelfId.of("A1-L1"), List.of(OTHER_BIN, BIN))));
  }

  @ParameterizedTest(name = "{0} readings a second")
  @ValueSource(ints = {1, 2, 5, 10, 30, 60, 100})
  void theSameDetectorWorksAtAnyRateFromOneToAHundredHertz(int hertz) {
    Random random = new Random(hertz);
    long period = 1_000 / hertz;
    for (long ts = T; ts < T + 40_000; ts += period) {
      double load = FULL - (ts >= T + 10_000 && ts < T + 25_000 ? UNIT : 0);
      read(BIN, ts, load + 1.5 * random.nextGaussian());
    }

    assertThat(events).as("returned as the load settles, not when the input ends").extracting(ShelfEvent::deltaGrams)
        .satisfiesExactly(
            d -> assertThat(d).isCloseTo(-UNIT, within(DELTA_TOLERANCE)),
            d -> assertThat(d).isCloseTo(UNIT, within(DELTA_TOLERANCE)));
    assertThat(events.get(0).startTs()).isBetween(T + 10_000 - period, T + 10_000 + 2 * period);
  }

  @Test
  void irregularReadingsAreNoHarder() {
    Random random = new Random(5);
    long ts = T;
    while (ts < T + 30_000) {
      read(BIN, ts, (ts >= T + 12_000 ? FULL - 2 * UNIT : FULL) + 1.5 * random.nextGaussian());
      ts += 5 + random.nextInt(random.nextDouble() < 0.1 ? 900 : 60);
    }

    assertThat(events).singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-2 * UNIT, within(DELTA_TOLERANCE)));
  }

  @Test
  void singleReadingSpikesNeitherStartAChangeNorKeepOneFromSettling() {
    Random random = new Random(17);
    for (int i = 0; i < 60 * 40; i++) {
      long ts = T + i * 1_000L / 60;
      double spike = random.nextDouble() < 0.02 ? (random.nextBoolean() ? 1 : -1) * (20 + 150 * random.nextDouble()) : 0;
      read(BIN, ts, (ts >= T + 20_000 ? FULL - UNIT : FULL) + 3.6 * random.nextGaussian() + spike);
    }

    assertThat(events).as("spikes of 20-170 g in 2 % of readings at 60 Hz").singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-UNIT, within(DELTA_TOLERANCE)));
  }

  @Test
  void aCellStartingUpIsNoChange() {
    Random random = new Random(3);
    for (int i = 0; i < 60 * 20; i++) {
      long ts = T + i * 1_000L / 60;
      double startUp = 150 * Math.exp(-(ts - T) / 500.0);
      read(BIN, ts, (ts >= T + 12_000 ? FULL - UNIT : FULL) + startUp + 1.1 * random.nextGaussian());
    }

    assertThat(events).as("an offset of 150 g at start-up that decays within a second or two").singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-UNIT, within(DELTA_TOLERANCE)));
  }

  @Test
  void aSmallLastingShiftOfANeighbourMirroringAPickIsCrossTalkNotAPick() {
    detector = newDetector(shelved());
    Random random = new Random(31);
    for (int i = 0; i < 60 * 20; i++) {
      long ts = T + i * 1_000L / 60;
      boolean taken = ts >= T + 8_000;
      read(BIN, ts, FULL - (taken ? 559 : 0) + 1.1 * random.nextGaussian());
      read(OTHER_BIN, ts + 3, 2_660 - (taken ? 9.2 : 0) + 1.1 * random.nextGaussian());
    }
    events.addAll(detector.flush(T + 20_000));

    assertThat(events).as("a 559 g bottle taken shifts the plate beside it by -9.2 g for good").singleElement()
        .satisfies(e -> {
          assertThat(e.bin()).isEqualTo(BIN);
          assertThat(e.deltaGrams()).isCloseTo(-559, within(DELTA_TOLERANCE));
        });
  }

  @ParameterizedTest(name = "{0} readings a second")
  @ValueSource(ints = {10, 30, 60, 100})
  void aHandLeaningOnTheShelfMovesThePlateBesideOnlyWhileItLeans(int hertz) {
    detector = newDetector(shelved());
    Random random = new Random(hertz);
    for (long ts = T; ts < T + 20_000; ts += 1_000 / hertz) {
      // A hand rummages in the bin from 8 s to 10.5 s and takes 100 g at 9 s, leaning on the shelf: the plate beside
      // feels up to 12 g while it leans.
      boolean reaching = ts >= T + 8_000 && ts <= T + 10_500;
      double press = reaching ? Math.sin(Math.PI * (ts - T - 8_000) / 2_500.0) : 0;
      double hand = reaching ? 20 + 150 * Math.abs(random.nextGaussian()) : 0;
      read(BIN, ts, FULL - (ts >= T + 9_000 ? SMALLEST_CHANGE_GRAMS : 0) + hand + 1.1 * random.nextGaussian());
      read(OTHER_BIN, ts + 3, 2_660 + 12 * press + 1.1 * random.nextGaussian());
    }
    events.addAll(detector.flush(T + 20_000));

    assertThat(events).as("a lean felt by the plate beside is no change of it").singleElement()
        .satisfies(e -> {
          assertThat(e.bin()).isEqualTo(BIN);
          assertThat(e.bins()).containsExactly(BIN);
          assertThat(e.deltaGrams()).isCloseTo(-SMALLEST_CHANGE_GRAMS, within(DELTA_TOLERANCE));
        });
  }

  @ParameterizedTest(name = "{0} readings a second")
  @ValueSource(ints = {10, 30, 60, 100})
  void crossTalkThatShowsAfterThePickWasReturnedIsNoPick(int hertz) {
    detector = newDetector(shelved());
    Random random = new Random(hertz);
    for (long ts = T; ts < T + 20_000; ts += 1_000 / hertz) {
      // The board beside creeps to its new level over a second and a half after the pick.
      double creep = Math.min(1, Math.max(0, (ts - T - 8_300) / 1_500.0));
      read(BIN, ts, FULL - (ts >= T + 8_000 ? 559 : 0) + 1.1 * random.nextGaussian());
      read(OTHER_BIN, ts + 3, 2_660 - 9.2 * creep + 1.1 * random.nextGaussian());
    }
    events.addAll(detector.flush(T + 20_000));

    assertThat(events).as("a 559 g bottle taken; the plate beside creeps by -9.2 g").singleElement()
        .satisfies(e -> {
          assertThat(e.bin()).isEqualTo(BIN);
          assertThat(e.deltaGrams()).isCloseTo(-559, within(DELTA_TOLERANCE));
        });
  }

  @BeforeEach
  void setUpDetector() {
    detector = newDetector();
    events.clear();
  }

  @Test
  void aBinsFirstReadingsAreItsLevelNotAChange() {
    stable(BIN, T, 10, FULL);
    stable(OTHER_BIN, T + 3, 10, 2_660);

    assertThat(events).isEmpty();
    assertThat(detector.flush(T + 10_000)).isEmpty();
  }

  @Test
  void aSettledDropOfOneUnitIsOnePickWithItsWeightAndTime() {
    long lastAtFull = stable(BIN, T, 5, FULL);
    long firstAtNewLevel = T + 5_000;
    long end = settle(BIN, firstAtNewLevel, FULL - UNIT);

    assertThat(events).as("returned once the load has settled, before the input ends").singleElement()
        .satisfies(e -> {
          assertThat(e.bin()).isEqualTo(BIN);
          assertThat(e.isRemoval()).isTrue();
          assertThat(e.deltaGrams()).isCloseTo(-UNIT, within(DELTA_TOLERANCE));
          assertThat(e.startTs()).isGreaterThanOrEqualTo(lastAtFull).isLessThanOrEqualTo(firstAtNewLevel);
          assertThat(e.endTs()).isGreaterThanOrEqualTo(e.startTs()).isLessThanOrEqualTo(end);
        });
    assertThat(detector.flush(end)).as("an event is returned once").isEmpty();
  }

  @Test
  void aSettledRiseIsAPutBack() {
    stable(BIN, T, 5, FULL - UNIT);
    long end = settle(BIN, T + 5_000, FULL);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.isRemoval()).isFalse();
      assertThat(e.deltaGrams()).isCloseTo(UNIT, within(DELTA_TOLERANCE));
    });
    assertThat(detector.flush(end)).isEmpty();
  }

  @Test
  void severalUnitsTakenAtOnceAreOneEvent() {
    stable(BIN, T, 5, FULL);
    settle(BIN, T + 5_000, FULL - 3 * UNIT);

    assertThat(events).singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-3 * UNIT, within(DELTA_TOLERANCE)));
  }

  @Test
  void theSmallestChangeIsDetected() {
    stable(BIN, T, 5, FULL);
    settle(BIN, T + 5_000, FULL - SMALLEST_CHANGE_GRAMS);

    assertThat(events).singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-SMALLEST_CHANGE_GRAMS, within(DELTA_TOLERANCE)));
  }

  @Test
  void noiseAndSlowDriftGiveNoEvents() {
    for (int s = 0; s < 3_600; s++) {
      double drift = 40.0 * s / 3_600;
      read(BIN, T + 1_000L * s, FULL + drift + noisy());
    }

    assertThat(events).isEmpty();
    assertThat(detector.flush(T + 3_600_000)).isEmpty();
  }

  @Test
  void aTouchThatLeavesTheLoadAsItWasGivesNoEvent() {
    stable(BIN, T, 5, FULL);
    for (int i = 0; i < 3; i++) {
      read(BIN, T + 5_000 + 100L * i, FULL + 200 + noisy());
    }
    long end = settle(BIN, T + 5_300, FULL);

    assertThat(events).isEmpty();
    assertThat(detector.flush(end)).isEmpty();
  }

  @Test
  void aHandPressingWhileTakingGivesOneEventOfTheSettledChange() {
    stable(BIN, T, 5, FULL);
    double[] pressing = {250, 500, -200, 120, -550, -505, -530, -515};
    for (int i = 0; i < pressing.length; i++) {
      read(BIN, T + 5_000 + 100L * i, FULL + pressing[i]);
    }
    long end = settle(BIN, T + 5_800, FULL - UNIT);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-UNIT, within(DELTA_TOLERANCE));
      assertThat(e.startTs()).isBetween(T + 4_000, T + 5_800);
    });
    assertThat(detector.flush(end)).isEmpty();
  }

  @Test
  void successiveChangesAreSeparateEventsInTimeOrder() {
    stable(BIN, T, 5, FULL);
    long end = settle(BIN, T + 5_000, FULL - UNIT);
    end = settle(BIN, end + 1_000, FULL - 2 * UNIT);
    end = settle(BIN, end + 1_000, FULL - UNIT);
    events.addAll(detector.flush(end));

    assertThat(events).extracting(ShelfEvent::deltaGrams).satisfiesExactly(
        d -> assertThat(d).isCloseTo(-UNIT, within(DELTA_TOLERANCE)),
        d -> assertThat(d).isCloseTo(-UNIT, within(DELTA_TOLERANCE)),
        d -> assertThat(d).isCloseTo(UNIT, within(DELTA_TOLERANCE)));
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).startTs()).isGreaterThanOrEqualTo(events.get(i - 1).endTs());
    }
  }

  @Test
  void binsAreIndependent() {
    for (int i = 0; i < 5; i++) {
      read(BIN, T + 1_000L * i, FULL + noisy());
      read(OTHER_BIN, T + 1_000L * i + 7, 2_660 + noisy());
    }
    for (int i = 0; i < 30; i++) {
      long ts = T + 5_000 + 100L * i;
      read(BIN, ts, FULL - UNIT + noisy());
      read(OTHER_BIN, ts + 7, 2_660 + (i < 10 ? 0 : 108) + noisy());
    }
    for (int i = 0; i < 5; i++) {
      read(BIN, T + 8_000 + 1_000L * i, FULL - UNIT + noisy());
      read(OTHER_BIN, T + 8_000 + 1_000L * i + 7, 2_768 + noisy());
    }

    assertThat(events).hasSize(2);
    assertThat(events).filteredOn(e -> e.bin().equals(BIN)).singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-UNIT, within(DELTA_TOLERANCE)));
    assertThat(events).filteredOn(e -> e.bin().equals(OTHER_BIN)).singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(108, within(DELTA_TOLERANCE)));
  }

  @Test
  void flushCompletesAChangeStillSettlingOnce() {
    stable(BIN, T, 5, FULL);
    read(BIN, T + 5_000, FULL - UNIT + 0.4);
    read(BIN, T + 5_100, FULL - UNIT - 0.6);
    List<ShelfEvent> flushed = detector.flush(T + 5_200);
    events.addAll(flushed);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.deltaGrams()).isCloseTo(-UNIT, within(DELTA_TOLERANCE));
      assertThat(e.startTs()).isBetween(T + 4_000, T + 5_000);
      assertThat(e.endTs()).isLessThanOrEqualTo(T + 5_200);
    });
    assertThat(detector.flush(T + 5_300)).isEmpty();
  }

  @Test
  void flushWithNothingInProgressGivesNothing() {
    assertThat(detector.flush(T)).isEmpty();

    stable(BIN, T, 5, FULL);
    long end = settle(BIN, T + 5_000, FULL - UNIT);
    assertThat(events).hasSize(1);
    assertThat(detector.flush(end)).isEmpty();
  }

  @Test
  void theSameReadingsGiveTheSameEvents() {
    List<WeightEvent> readings = busyMorning();
    ShelfEventDetector first = newDetector();
    ShelfEventDetector second = newDetector();

    List<ShelfEvent> a = new ArrayList<>();
    List<ShelfEvent> b = new ArrayList<>();
    for (WeightEvent reading : readings) {
      a.addAll(first.onReading(reading));
      b.addAll(second.onReading(reading));
    }
    long end = readings.get(readings.size() - 1).ts();
    a.addAll(first.flush(end));
    b.addAll(second.flush(end));

    assertThat(a).hasSize(4).isEqualTo(b);
  }

  /** Two bins, four changes, one of them still settling when the input ends. */
  private List<WeightEvent> busyMorning() {
    List<WeightEvent> readings = new ArrayList<>();
    double[] levels = {FULL, FULL - UNIT, FULL - 2 * UNIT, FULL - UNIT};
    for (int phase = 0; phase < levels.length; phase++) {
      long from = T + 10_000L * phase;
      for (int i = 0; i < 30; i++) {
        long ts = from + 100L * i;
        readings.add(new WeightEvent(ts, BIN, levels[phase] + noisy()));
        readings.add(new WeightEvent(ts + 3, OTHER_BIN, 2_660 + (phase == 3 && i >= 25 ? -165 : 0) + noisy()));
      }
      for (int i = 0; i < 7 && phase < 3; i++) {
        long ts = from + 3_000 + 1_000L * i;
        readings.add(new WeightEvent(ts, BIN, levels[phase] + noisy()));
        readings.add(new WeightEvent(ts + 3, OTHER_BIN, 2_660 + noisy()));
      }
    }
    return readings;
  }

  /** Readings at a steady level, one a second; returns the time of the last. */
  private long stable(BinId bin, long from, int count, double grams) {
    long ts = from;
    for (int i = 0; i < count; i++) {
      ts = from + 1_000L * i;
      read(bin, ts, grams + noisy());
    }
    return ts;
  }

  /**
   * A load at a new level: ten readings a second for two seconds, then one a second for five; returns the time of
   * the last.
   */
  private long settle(BinId bin, long from, double grams) {
    long ts = from;
    for (int i = 0; i < 20; i++) {
      ts = from + 100L * i;
      read(bin, ts, grams + noisy());
    }
    for (int i = 1; i <= 5; i++) {
      ts = from + 1_900 + 1_000L * i;
      read(bin, ts, grams + noisy());
    }
    return ts;
  }

  private void read(BinId bin, long ts, double grams) {
    // Readings are rounded to 0.1 g, as the store log's examples are.
    grams = Math.round(grams * 10) / 10.0;
    events.addAll(detector.onReading(new WeightEvent(ts, bin, grams)));
  }

  private double noisy() {
    return (noise.nextDouble() * 2 - 1) * NOISE_GRAMS;
  }
}
