package dev.jwo.vision.linking;

import dev.jwo.core.GateId;
import dev.jwo.core.TrackId;
import dev.jwo.core.visit.Admission;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A person who came in through an entry gate without a place in any admitted party: a track crossed the gate's
 * line inward when no party scanned there had a member still to come, and it continues nobody already inside
 * (tailgating, or walking in without a scan).
 *
 * @param gate the entry gate
 * @param track the track that crossed
 * @param ts when it appeared at the line (event time, ms)
 * @param behind the latest party admitted at the gate whose entry window covered the crossing, every place of which
 *     was taken; null when nobody had been admitted there within the window
 */
public record UnadmittedEntry(GateId gate, TrackId track, long ts, @Nullable Admission behind) {
  public UnadmittedEntry {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(track, "track");
  }

  /** Told of each unadmitted entry once, on the pipeline thread; must not block. */
  @FunctionalInterface
  public interface Listener {
    void unadmittedEntry(UnadmittedEntry entry);

    /**
     * Someone walked out through {@code gate} at {@code ts} (event time) and no shopper of an admitted party was
     * there to match the exit: perhaps a person who came in unadmitted. Does nothing unless overridden.
     */
    default void exitWithoutVisit(GateId gate, long ts) {}
  }
}
