package dev.jwo.sim.internal;

import java.util.Objects;

/**
 * Something a person's hand does in a bin, as planned: take units of the bin's product, put back a unit taken
 * earlier (take {@code takeId}), or lift a unit to look at it and put it straight back at {@code secondTs}.
 * Whether it happens as planned (the bin may be empty) is decided when all actions are replayed in time order.
 */
record ShelfAction(long id, long ts, long secondTs, StoreModel.Slot slot, Person person, Kind kind, int units,
    long takeId) {

  enum Kind { TAKE, PUT, INSPECT }

  ShelfAction {
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(kind, "kind");
  }
}
