package dev.jwo.vision.linking;

import dev.jwo.core.visit.Admission;
import java.util.Objects;

/** The time for an admitted party to come through the gate is over; {@code membersSeen} were linked. */
public record EntryWindowClosed(Admission admission, int membersSeen, long ts) {
  public EntryWindowClosed {
    Objects.requireNonNull(admission, "admission");
  }
}
