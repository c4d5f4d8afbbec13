package dev.jwo.sim.internal;

import dev.jwo.core.event.WeightEvent;
import dev.jwo.sim.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One bin's load cell: the tare plus the units on it, changing over about 150 ms when a unit is lifted or set
 * down; Gaussian noise; a slow drift of its own; a hand pressing on the shelf while it reaches in (felt a little
 * by the bins beside it on the same board too); rare glitches. It reports often while the load is disturbed
 * and seldom while it is still.
 */
final class LoadCellModel {
  private static final long RAMP_MILLIS = 75;
  private static final long ACTIVE_AFTER_MILLIS = 2_500;

  /** A hand pressing with up to {@code grams} from {@code from} to {@code to} (a half-sine). */
  record Press(long from, long to, double grams) {}

  private final StoreModel.Slot slot;
  private final Scenario.Sensors sensors;
  private final SplittableRandom random;
  private final long startTs;
  private final double base;
  private final double driftPerMilli;
  private final List<ShelfWorld.LoadChange> changes;
  private final List<Press> presses = new ArrayList<>();
  private final List<long[]> active = new ArrayList<>();
  private int settledChanges;
  private double settledLoad;
  private int firstPress;
  private int firstActive;
  private long nextTs;
  private final Scenario.LoadCells cells;
  private final SplittableRandom realism;
  /** This cell's own noise deviation, spike rate, and start-up transient (realistic cells only). */
  private final double noiseSd;
  private final double spikeRate;
  private final double startUpGrams;
  private final double startUpMillis;
  private double previousHighFrequency;
  private double exactNextTs;

  /**
   * @param cells how this cell behaves beyond {@code sensors}' model
   * @param realism draws for {@code cells}' effects only, so that a scenario without them draws as before
   */
  LoadCellModel(StoreModel.Slot slot, ShelfWorld world, Scenario.Sensors sensors, long startTs,
      SplittableRandom random, Scenario.LoadCells cells, SplittableRandom realism) {
    this.cells = cells;
    this.realism = realism;
    boolean heavy = slot.gondola() == 0;
    if (cells.medianNoiseGrams() > 0) {
      double median = heavy ? cells.heavyMedianNoiseGrams() : cells.medianNoiseGrams();
      // Log-normal over the cells: the 90th percentile is 1.2816 deviations of the logarithm above the median.
      double spread = Math.log(cells.p90NoiseGrams() / cells.medianNoiseGrams()) / 1.2816;
      this.noiseSd = Math.min(cells.maxNoiseGrams(), median * Math.exp(spread * realism.nextGaussian()));
    } else {
      this.noiseSd = sensors.loadNoiseGrams();
    }
    this.spikeRate = heavy ? cells.heavySpikeRate() : cells.spikeRate();
    this.startUpGrams = cells.startUpGrams() * (2 * realism.nextDouble() - 1);
    this.startUpMillis = cells.startUpMillis() * (0.5 + realism.nextDouble());
    this.slot = slot;
    this.sensors = sensors;
    this.random = random;
    this.startTs = startTs;
    this.base = world.tare(slot) + world.initialLoad(slot);
    this.driftPerMilli = sensors.driftGramsPerHour() * random.nextGaussian() / 3_600_000.0;
    this.changes = world.changes(slot);
    this.nextTs = startTs + random.nextInt((int) sensors.idlePeriodMillis());
    if (cells.rateHertz() > 0) {
      this.exactNextTs = startTs + realism.nextDouble() * 1_000 / cells.rateHertz();
      this.nextTs = (long) exactNextTs;
    }
    for (ShelfWorld.LoadChange change : changes) {
      active.add(new long[] {change.ts() - 200, change.ts() + ACTIVE_AFTER_MILLIS});
    }
  }

  /** A hand in this bin ({@code own}) or in one beside it on the same board. */
  void reach(Person.Reach reach, boolean own) {
    double grams;
    if (random.nextDouble() < 0.4) {
      grams = Math.abs(5 * random.nextGaussian());
    } else {
      grams = sensors.pressMaxGrams() * (0.1 + 0.9 * random.nextDouble());
    }
    if (!own) {
      grams *= 0.03 + 0.07 * random.nextDouble();
    }
    presses.add(new Press(reach.in(), reach.out(), grams));
    active.add(new long[] {reach.start(), reach.end() + ACTIVE_AFTER_MILLIS});
  }

  /** Call once every reach is known. */
  void ready() {
    presses.sort(Comparator.comparingLong(Press::from));
    active.sort(Comparator.comparingLong(a -> a[0]));
    // Merge overlapping activity so that "am I active" is one look at the first interval still open.
    List<long[]> merged = new ArrayList<>();
    for (long[] a : active) {
      if (!merged.isEmpty() && a[0] <= merged.get(merged.size() - 1)[1]) {
        long[] last = merged.get(merged.size() - 1);
        last[1] = Math.max(last[1], a[1]);
      } else {
        merged.add(new long[] {a[0], a[1]});
      }
    }
    active.clear();
    active.addAll(merged);
  }

  /** The readings with timestamps in [from, to). */
  void readings(long from, long to, List<WeightEvent> out) {
    while (nextTs < to) {
      long ts = nextTs;
      if (cells.rateHertz() > 0) {
        // A fixed rate whatever the load does, with a little jitter.
        exactNextTs += 1_000 / cells.rateHertz() * (0.9 + 0.2 * realism.nextDouble());
        nextTs = Math.max(ts + 1, (long) exactNextTs);
        if (ts >= from) {
          out.add(new WeightEvent(ts, slot.bin().id(), Math.round(value(ts) * 10) / 10.0));
        }
        continue;
      }
      boolean busy = isActive(ts);
      long period = busy ? sensors.activePeriodMillis() : sensors.idlePeriodMillis();
      long jitter = Math.max(1, period / 20);
      nextTs = ts + period - jitter + random.nextInt((int) (2 * jitter + 1));
      if (!busy && nextActiveStart(ts) < nextTs) {
        nextTs = Math.max(ts + 1, nextActiveStart(ts));
      }
      if (ts >= from) {
        out.add(new WeightEvent(ts, slot.bin().id(), Math.round(value(ts) * 10) / 10.0));
      }
    }
  }

  private double value(long ts) {
    double grams = load(ts) + driftPerMilli * (ts - startTs) + noise();
    while (firstPress < presses.size() && presses.get(firstPress).to() < ts - 10_000) {
      firstPress++;
    }
    for (int i = firstPress; i < presses.size() && presses.get(i).from() <= ts; i++) {
      Press press = presses.get(i);
      if (ts <= press.to()) {
        double f = (ts - press.from()) / (double) Math.max(1, press.to() - press.from());
        grams += press.grams() * Math.sin(Math.PI * f) * (1 + 0.1 * random.nextGaussian());
      }
    }
    if (random.nextDouble() < sensors.loadOutlierRate()) {
      grams += (random.nextBoolean() ? 1 : -1) * (20 + 60 * random.nextDouble());
    }
    if (spikeRate > 0 && realism.nextDouble() < spikeRate) {
      grams += (realism.nextBoolean() ? 1 : -1)
          * (cells.spikeMinGrams() + (cells.spikeMaxGrams() - cells.spikeMinGrams()) * realism.nextDouble());
    }
    if (startUpGrams != 0 && startUpMillis > 0) {
      grams += startUpGrams * Math.exp(-(ts - startTs) / startUpMillis);
    }
    return grams;
  }

  /** White noise, or for realistic cells partly high-frequency noise that averages away within a second. */
  private double noise() {
    if (cells.medianNoiseGrams() <= 0) {
      return sensors.loadNoiseGrams() * random.nextGaussian();
    }
    double white = cells.whiteShare();
    double e = realism.nextGaussian();
    double highFrequency = (e - previousHighFrequency) / Math.sqrt(2);
    previousHighFrequency = e;
    return noiseSd * (white * realism.nextGaussian() + Math.sqrt(1 - white * white) * highFrequency);
  }

  private double load(long ts) {
    while (settledChanges < changes.size() && changes.get(settledChanges).ts() + RAMP_MILLIS <= ts) {
      settledLoad += changes.get(settledChanges).grams();
      settledChanges++;
    }
    double grams = base + settledLoad;
    for (int i = settledChanges; i < changes.size() && changes.get(i).ts() - RAMP_MILLIS < ts; i++) {
      ShelfWorld.LoadChange change = changes.get(i);
      grams += change.grams() * (ts - (change.ts() - RAMP_MILLIS)) / (2.0 * RAMP_MILLIS);
    }
    return grams;
  }

  private boolean isActive(long ts) {
    while (firstActive < active.size() && active.get(firstActive)[1] < ts) {
      firstActive++;
    }
    return firstActive < active.size() && active.get(firstActive)[0] <= ts;
  }

  private long nextActiveStart(long ts) {
    for (int i = firstActive; i < active.size(); i++) {
      if (active.get(i)[1] >= ts) {
        return Math.max(ts, active.get(i)[0]);
      }
    }
    return Long.MAX_VALUE;
  }
}
