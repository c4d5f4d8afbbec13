package dev.jwo.vision;

import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A read-only view of one person track. Views are live: they change as the tracker updates the track, and
 * must only be read from the pipeline thread.
 */
public interface Track {

  TrackId id();

  TrackStatus status();

  /** When and where the track was first seen. */
  TrackPoint born();

  /** The latest estimate of the person's position. */
  Position position();

  /** When the track was last updated by a detection. */
  long lastSeenTs();

  /** The track's recent history (bounded), oldest first. */
  List<TrackPoint> history();

  /**
   * The standard deviation of this track's position measurements on each axis, in metres, if the tracker knows it.
   * Identity doubt weighs how close two people came against it.
   */
  default OptionalDouble positionNoiseMetres() {
    return OptionalDouble.empty();
  }

  /**
   * The points of the history between {@code fromTs} and {@code toTs} inclusive, oldest first. The default filters
   * {@link #history()}; implementations that keep a long history may search it faster.
   */
  default List<TrackPoint> historyBetween(long fromTs, long toTs) {
    return history().stream().filter(p -> p.ts() >= fromTs && p.ts() <= toTs).toList();
  }
}
