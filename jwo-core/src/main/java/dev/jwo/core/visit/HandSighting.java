package dev.jwo.core.visit;

import dev.jwo.core.Point3;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A hand seen at a point and time, on a person track; {@code visit} is null while the track is unlinked. */
public record HandSighting(TrackId track, @Nullable VisitId visit, Point3 hand, long ts) {
  public HandSighting {
    Objects.requireNonNull(track, "track");
    Objects.requireNonNull(hand, "hand");
  }
}
