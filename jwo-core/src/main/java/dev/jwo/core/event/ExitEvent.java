package dev.jwo.core.event;

import dev.jwo.core.GateId;
import java.util.Objects;

/** One person walked out through an exit gate; who it was is for the tracker to decide. */
public record ExitEvent(long ts, GateId gate) implements SensorEvent {
  public ExitEvent {
    Objects.requireNonNull(gate, "gate");
  }

  @Override
  public String type() {
    return "exit";
  }
}
