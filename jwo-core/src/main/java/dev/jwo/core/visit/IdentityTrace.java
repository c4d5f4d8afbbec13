package dev.jwo.core.visit;

import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import org.jspecify.annotations.Nullable;

/**
 * Told of every change of the visit a person track is taken to belong to, and why: a track joining a party at the
 * entry gate, continuing a lost shopper, taking over a duplicate's visit, exchanged with another track after a swap
 * the tracker made, let go when its visit ended, or, appearing inside where no lost shopper could have walked, of
 * no visit from the start. Together with the shelf events' beliefs it explains every
 * line of a receipt. Called on the pipeline thread; must not block for long and must not throw. The default
 * records nothing.
 */
public interface IdentityTrace {
  /** Records nothing. */
  IdentityTrace NONE = new IdentityTrace() {};

  /**
   * From {@code ts} on, {@code track} is taken for a shopper of {@code visit} (null: of no visit), because
   * {@code why}.
   */
  default void trackLabelled(TrackId track, @Nullable VisitId visit, long ts, String why) {}
}
