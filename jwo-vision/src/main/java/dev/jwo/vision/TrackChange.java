package dev.jwo.vision;

import dev.jwo.core.TrackId;
import java.util.Objects;

/** A change in a track's status, as reported by {@link PersonTracker#advanceTo(long)}. */
public record TrackChange(TrackId track, TrackStatus status, long ts) {
  public TrackChange {
    Objects.requireNonNull(track, "track");
    Objects.requireNonNull(status, "status");
  }
}
