package dev.jwo.vision;

import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import java.util.List;
import java.util.Objects;

/** Where a track was at one instant, and the hands seen with it then. */
public record TrackPoint(long ts, Position position, List<Point3> hands) {
  public TrackPoint {
    Objects.requireNonNull(position, "position");
    hands = List.copyOf(hands);
  }
}
