package dev.jwo.cart;

import dev.jwo.core.BinId;
import java.util.Objects;

/**
 * A settled change of a bin's load: {@code deltaGrams} is negative when something was taken, positive when
 * something was put in. The change began at {@code startTs} and had settled by {@code endTs}.
 */
public record ShelfEvent(BinId bin, long startTs, long endTs, double deltaGrams) {
  public ShelfEvent {
    Objects.requireNonNull(bin, "bin");
    if (endTs < startTs) {
      throw new IllegalArgumentException("a shelf event cannot end before it starts");
    }
    if (!Double.isFinite(deltaGrams)) {
      throw new IllegalArgumentException("delta must be finite");
    }
  }

  public boolean isRemoval() {
    return deltaGrams < 0;
  }
}
