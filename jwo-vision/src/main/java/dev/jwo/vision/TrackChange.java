package dev.jwo.vision;

import dev.jwo.core.TrackId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change in a track's status, as reported by {@link PersonTracker#advanceTo(long)}.
 *
 * @param mergedInto set when the track turned out to be a duplicate of another track of the same person and was
 *     merged into it: the status is then {@link TrackStatus#LOST}, the track is already forgotten, and whatever
 *     was known about it now belongs to {@code mergedInto}
 */
public record TrackChange(TrackId track, TrackStatus status, long ts, @Nullable TrackId mergedInto) {
  public TrackChange {
    Objects.requireNonNull(track, "track");
    Objects.requireNonNull(status, "status");
    if (mergedInto != null && status != TrackStatus.LOST) {
      throw new IllegalArgumentException("a merged track is reported as lost");
    }
  }

  public TrackChange(TrackId track, TrackStatus status, long ts) {
    this(track, status, ts, null);
  }
}
