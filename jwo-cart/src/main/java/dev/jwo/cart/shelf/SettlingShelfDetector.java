package dev.jwo.cart.shelf;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.core.BinId;
import dev.jwo.core.event.WeightEvent;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Detects load changes that settle, by comparing robust levels before and after. Per bin it keeps the level of
 * the load while it is still (following slow drift) and an estimate of the load cell's noise. A reading that
 * leaves the level by more than {@link ShelfSettings#minChangeGrams()} (or four noise deviations, if more) starts
 * a change. The change is over once the readings have stayed within the tolerance of their median for
 * {@link ShelfSettings#settleMillis()} and then for {@link ShelfSettings#holdMillis()} more: a hand pressing on
 * the shelf, or lifting a unit to look at it, moves the load again within that time, and the change goes on.
 * The event's delta is the median of the settled readings less the level before; a glitch (one reading far
 * off) neither starts an event nor spoils a settled window.
 */
public final class SettlingShelfDetector implements ShelfEventDetector {
  private static final double DRIFT_RATE = 0.05;
  private static final double NOISE_RATE = 0.02;
  /** Deviations of the noise that a reading may be off and still belong to a level. */
  private static final double NOISE_DEVIATIONS = 4.0;
  /** A change still unsettled after this many readings is judged on its latest ones. */
  private static final int MAX_READINGS = 200;

  private final ShelfSettings settings;
  private final Map<BinId, BinState> bins = new HashMap<>();

  @Inject
  public SettlingShelfDetector(ShelfSettings settings) {
    this.settings = settings;
  }

  @Override
  public List<ShelfEvent> onReading(WeightEvent reading) {
    BinState state = bins.get(reading.bin());
    if (state == null) {
      bins.put(reading.bin(), new BinState(reading.bin(), reading.grams()));
      return List.of();
    }
    ShelfEvent event = state.take(reading.ts(), reading.grams());
    return event == null ? List.of() : List.of(event);
  }

  @Override
  public List<ShelfEvent> flush(long ts) {
    List<ShelfEvent> events = new ArrayList<>();
    bins.values().stream()
        .sorted((a, b) -> a.bin.compareTo(b.bin))
        .forEach(state -> {
          ShelfEvent event = state.settleNow();
          if (event != null) {
            events.add(event);
          }
        });
    return events;
  }

  private final class BinState {
    final BinId bin;
    double level;
    double noiseSd;
    boolean changing;
    long changeStart;
    /** Readings since the change started (time, grams), oldest first. */
    final List<double[]> readings = new ArrayList<>();

    BinState(BinId bin, double first) {
      this.bin = bin;
      this.level = first;
      this.noiseSd = settings.sensorNoiseGrams();
    }

    double tolerance() {
      return Math.max(settings.settleToleranceGrams(), NOISE_DEVIATIONS * noiseSd);
    }

    double threshold() {
      return Math.max(settings.minChangeGrams(), NOISE_DEVIATIONS * noiseSd);
    }

    @Nullable ShelfEvent take(long ts, double grams) {
      if (!changing) {
        double deviation = grams - level;
        if (Math.abs(deviation) <= threshold()) {
          level += DRIFT_RATE * deviation;
          // The mean absolute deviation of Gaussian noise is 0.8 of its standard deviation.
          noiseSd += NOISE_RATE * (Math.abs(deviation) / 0.8 - noiseSd);
          noiseSd = Math.max(noiseSd, settings.sensorNoiseGrams() / 4);
          return null;
        }
        changing = true;
        changeStart = ts;
        readings.clear();
      }
      readings.add(new double[] {ts, grams});
      if (readings.size() > MAX_READINGS) {
        readings.remove(0);
      }
      int from = settledFrom(ts);
      if (from < 0) {
        return null;
      }
      long settledSince = (long) readings.get(from)[0];
      if (ts - settledSince < settings.settleMillis() + settings.holdMillis()) {
        return null;
      }
      return finish(from);
    }

    /**
     * The index of the oldest reading from which every reading (but at most one glitch) is within the tolerance
     * of their median, provided that stretch spans the settle time with enough readings; -1 if there is none.
     */
    private int settledFrom(long now) {
      int n = readings.size();
      double tolerance = tolerance();
      int best = -1;
      // Grow the window backwards from the newest reading while it stays settled.
      for (int from = n - 1; from >= 0; from--) {
        double median = median(from, n);
        int off = 0;
        for (int i = from; i < n; i++) {
          if (Math.abs(readings.get(i)[1] - median) > tolerance) {
            off++;
          }
        }
        int count = n - from;
        if (off > (count >= 5 ? 1 : 0)) {
          break;
        }
        if (count >= settings.settleReadings() && now - (long) readings.get(from)[0] >= settings.settleMillis()) {
          best = from;
        }
      }
      return best;
    }

    @Nullable ShelfEvent settleNow() {
      if (!changing || readings.isEmpty()) {
        return null;
      }
      int from = settledFrom((long) readings.get(readings.size() - 1)[0]);
      return finish(from < 0 ? Math.max(0, readings.size() - settings.settleReadings()) : from);
    }

    private @Nullable ShelfEvent finish(int from) {
      double settled = median(from, readings.size());
      long endTs = (long) readings.get(from)[0];
      double delta = settled - level;
      long start = changeStart;
      changing = false;
      readings.clear();
      level = settled;
      if (Math.abs(delta) <= threshold()) {
        return null;
      }
      return new ShelfEvent(bin, start, Math.max(start, endTs), delta);
    }

    private double median(int from, int to) {
      double[] values = new double[to - from];
      for (int i = from; i < to; i++) {
        values[i - from] = readings.get(i)[1];
      }
      Arrays.sort(values);
      int n = values.length;
      return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
  }
}
