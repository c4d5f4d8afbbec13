package dev.jwo.core.event;

import dev.jwo.core.BinId;
import java.util.Objects;

/** A bin's load cell reports its total load in grams, tare included. Only changes are reliable. */
public record WeightEvent(long ts, BinId bin, double grams) implements SensorEvent {
  public WeightEvent {
    Objects.requireNonNull(bin, "bin");
    if (!Double.isFinite(grams)) {
      throw new IllegalArgumentException("weight of bin " + bin + " must be a finite number of grams, was " + grams);
    }
  }

  @Override
  public String type() {
    return "weight";
  }
}
