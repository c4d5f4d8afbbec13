package dev.jwo.cart.shelf;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.core.BinId;
import dev.jwo.core.event.WeightEvent;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Detects load changes that settle. Per bin it keeps a baseline that follows slow drift; a reading that leaves
 * the baseline by more than {@link ShelfSettings#minChangeGrams()} starts a change, which ends when readings
 * stay within {@link ShelfSettings#settleToleranceGrams()} for {@link ShelfSettings#settleMillis()}. The event's
 * delta is the settled level (a median) minus the baseline; readings while a hand presses on the shelf are
 * ignored until they settle.
 */
public final class SettlingShelfDetector implements ShelfEventDetector {
  private static final double DRIFT_RATE = 0.05;

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
    double baseline;
    boolean changing;
    long changeStart;
    final ArrayDeque<double[]> recent = new ArrayDeque<>();

    BinState(BinId bin, double first) {
      this.bin = bin;
      this.baseline = first;
    }

    @Nullable ShelfEvent take(long ts, double grams) {
      if (!changing) {
        if (Math.abs(grams - baseline) <= settings.minChangeGrams()) {
          baseline += DRIFT_RATE * (grams - baseline);
          return null;
        }
        changing = true;
        changeStart = ts;
        recent.clear();
      }
      recent.add(new double[] {ts, grams});
      while (recent.size() > settings.settleReadings()
          && ts - (long) recent.peekFirst()[0] > settings.settleMillis()
          && ts - (long) second(recent)[0] >= settings.settleMillis()) {
        recent.pollFirst();
      }
      if (recent.size() < settings.settleReadings()
          || ts - (long) recent.peekFirst()[0] < settings.settleMillis()) {
        return null;
      }
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (double[] r : recent) {
        min = Math.min(min, r[1]);
        max = Math.max(max, r[1]);
      }
      if (max - min > settings.settleToleranceGrams()) {
        return null;
      }
      return finish((long) recent.peekFirst()[0]);
    }

    @Nullable ShelfEvent settleNow() {
      if (!changing || recent.isEmpty()) {
        return null;
      }
      return finish((long) recent.peekLast()[0]);
    }

    private @Nullable ShelfEvent finish(long endTs) {
      double[] values = recent.stream().mapToDouble(r -> r[1]).toArray();
      Arrays.sort(values);
      double level = values.length % 2 == 1
          ? values[values.length / 2]
          : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
      double delta = level - baseline;
      changing = false;
      recent.clear();
      baseline = level;
      if (Math.abs(delta) <= settings.minChangeGrams()) {
        return null;
      }
      return new ShelfEvent(bin, changeStart, Math.max(changeStart, endTs), delta);
    }

    private double[] second(ArrayDeque<double[]> queue) {
      var it = queue.iterator();
      it.next();
      return it.next();
    }
  }
}
