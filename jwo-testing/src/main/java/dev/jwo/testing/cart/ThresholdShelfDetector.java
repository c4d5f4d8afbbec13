package dev.jwo.testing.cart;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.core.BinId;
import dev.jwo.core.event.WeightEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A simple {@link ShelfEventDetector} for tests: a bin's level is the mean of its latest quiet readings; a reading
 * further than a fixed threshold from it starts a change, which settles as soon as a fixed number of consecutive
 * readings agree within a tolerance, whatever the time they span. The change is their mean less the level.
 * Cruder than the default (no settling time, a mean instead of a median) but honest about its contract.
 */
public final class ThresholdShelfDetector implements ShelfEventDetector {
  private final double thresholdGrams;
  private final double toleranceGrams;
  private final int settleReadings;
  private final Map<BinId, Level> bins = new TreeMap<>();

  /** Changes above 20 g count; four readings within 8 g of each other are settled. */
  public ThresholdShelfDetector() {
    this(20, 8, 4);
  }

  public ThresholdShelfDetector(double thresholdGrams, double toleranceGrams, int settleReadings) {
    if (!(thresholdGrams > 0) || !(toleranceGrams > 0) || settleReadings < 2) {
      throw new IllegalArgumentException("thresholds must be positive and settling needs two readings or more");
    }
    this.thresholdGrams = thresholdGrams;
    this.toleranceGrams = toleranceGrams;
    this.settleReadings = settleReadings;
  }

  @Override
  public List<ShelfEvent> onReading(WeightEvent reading) {
    Level level = bins.get(reading.bin());
    if (level == null) {
      bins.put(reading.bin(), new Level(reading.bin(), reading.grams()));
      return List.of();
    }
    ShelfEvent event = level.take(reading.ts(), reading.grams());
    return event == null ? List.of() : List.of(event);
  }

  @Override
  public List<ShelfEvent> flush(long ts) {
    List<ShelfEvent> events = new ArrayList<>();
    for (Level level : bins.values()) {
      ShelfEvent event = level.settleNow();
      if (event != null) {
        events.add(event);
      }
    }
    return events;
  }

  private record Reading(long ts, double grams) {}

  /** One bin: its latest quiet readings, and the readings of a change in progress. */
  private final class Level {
    static final int QUIET_READINGS = 5;

    final BinId bin;
    final ArrayDeque<Double> quiet = new ArrayDeque<>();
    final List<Reading> change = new ArrayList<>();

    Level(BinId bin, double grams) {
      this.bin = bin;
      quiet.add(grams);
    }

    double level() {
      return quiet.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Nullable ShelfEvent take(long ts, double grams) {
      if (change.isEmpty() && Math.abs(grams - level()) <= thresholdGrams) {
        quiet.add(grams);
        if (quiet.size() > QUIET_READINGS) {
          quiet.removeFirst();
        }
        return null;
      }
      change.add(new Reading(ts, grams));
      if (change.size() < settleReadings) {
        return null;
      }
      List<Reading> last = change.subList(change.size() - settleReadings, change.size());
      double min = last.stream().mapToDouble(Reading::grams).min().orElseThrow();
      double max = last.stream().mapToDouble(Reading::grams).max().orElseThrow();
      return max - min > toleranceGrams ? null : finish(settleReadings);
    }

    @Nullable ShelfEvent settleNow() {
      return change.isEmpty() ? null : finish(Math.min(settleReadings, change.size()));
    }

    /** Ends the change on the mean of its last {@code count} readings. */
    private @Nullable ShelfEvent finish(int count) {
      List<Reading> settled = List.copyOf(change.subList(change.size() - count, change.size()));
      double newLevel = settled.stream().mapToDouble(Reading::grams).average().orElseThrow();
      double delta = newLevel - level();
      long startTs = change.get(0).ts();
      change.clear();
      quiet.clear();
      settled.forEach(r -> quiet.add(r.grams()));
      if (Math.abs(delta) <= thresholdGrams) {
        return null;
      }
      return new ShelfEvent(bin, startTs, settled.get(0).ts(), delta);
    }
  }
}
