package dev.jwo.core;

import java.util.Objects;

/** An entry or exit gate at a point of the floor. */
public record Gate(GateId id, GateKind kind, Position position) {
  public Gate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(position, "position");
  }
}
