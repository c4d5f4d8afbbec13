package dev.jwo.cart;

import dev.jwo.core.event.WeightEvent;
import java.util.List;

/**
 * Turns a stream of noisy, drifting load-cell readings into settled shelf events. Called from the pipeline
 * thread in event-time order; must be deterministic.
 *
 * <p>Readings are always finite: a reading of NaN or infinity cannot be made into a {@link WeightEvent}, and the
 * pipeline rejects it as malformed before any detector sees it. They come at any rate from about 1 to 100 a
 * second, regular or not, and the same detector must work at all of them. Only changes of a bin's load matter: a
 * bin's first readings set its level, whatever their value and however the cell starts up, and slow drift, noise
 * (a few grams, on some cells tens) and single readings far off (spikes) are no change. Bins on no common shelf
 * are independent of each other; neighbouring plates of one shelf (as the store layout declares them) changing
 * together are one event of their summed change, except for a small lasting shift that mirrors a neighbour's
 * large change (cross-talk), which is no change of its own.
 *
 * <p>Each settled change of a bin gives one event, whose delta is the settled level less the level before; a load
 * disturbed while a hand presses on the shelf, or touched and left as it was, gives no event of its own. An event
 * is returned once, and soon after the load has settled (at most a few seconds, while hands seen near the bin are
 * still in the tracker's history); its {@code startTs} is no earlier than the last reading at the previous level
 * and its {@code endTs} no later than the reading that completes it. A bin's events follow each other in time.
 */
public interface ShelfEventDetector {

  /** Takes one reading; returns the shelf events it completes (usually none). */
  List<ShelfEvent> onReading(WeightEvent reading);

  /**
   * The input ended at {@code ts}: completes every change still in progress, as if its readings had settled, and
   * returns their events (never one returned before). Events end no later than {@code ts}.
   */
  List<ShelfEvent> flush(long ts);
}
