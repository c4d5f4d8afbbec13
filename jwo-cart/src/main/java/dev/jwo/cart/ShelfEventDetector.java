package dev.jwo.cart;

import dev.jwo.core.event.WeightEvent;
import java.util.List;

/**
 * Turns a stream of noisy, drifting load-cell readings into settled shelf events. Called from the pipeline
 * thread in event-time order; must be deterministic.
 */
public interface ShelfEventDetector {

  /** Takes one reading; returns the shelf events it completes (usually none). */
  List<ShelfEvent> onReading(WeightEvent reading);

  /** The input ended at {@code ts}: completes every change still in progress. */
  List<ShelfEvent> flush(long ts);
}
