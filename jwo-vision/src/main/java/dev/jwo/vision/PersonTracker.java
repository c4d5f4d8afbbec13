package dev.jwo.vision;

import dev.jwo.core.FeatureKind;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns camera frames into person tracks on the floor plane. Cameras overlap, so one person appears in several
 * cameras' frames; the tracker keeps one track per person. Called from the pipeline thread only, in event-time
 * order; must be deterministic.
 *
 * <p>The tracker never sees features it may not use: the caller first asks which track each detection belongs
 * to ({@link #update}), asks the compliance guard about that track's person, and passes only allowed features
 * to {@link #addAppearance}.
 */
public interface PersonTracker {

  /**
   * Associates a frame's detections with tracks, starting tentative tracks for new people.
   *
   * @return for each person in {@code frame.people()}, in order, the track it was assigned to, or null if it was
   *     discarded
   */
  List<@Nullable TrackId> update(FrameEvent frame);

  /** Adds appearance features the guard allowed for this track's person. */
  void addAppearance(TrackId track, FeatureKind kind, FeatureVector features, long ts);

  /** How similar a track's appearance is to another's, in [0, 1], if both have features of that kind. */
  Optional<Double> appearanceSimilarity(TrackId a, TrackId b, FeatureKind kind);

  /** Forgets every appearance feature of a track (its person withdrew consent, or the visit ended). */
  void forgetAppearance(TrackId track);

  /**
   * Moves time forward: confirms, loses and forgets tracks as their detections dictate.
   *
   * @return the status changes since the previous call, in a deterministic order
   */
  List<TrackChange> advanceTo(long ts);

  /** Marks a track as having left through an exit; it is no longer matched to detections. */
  void markExited(TrackId track, long ts);

  Optional<Track> track(TrackId id);

  /** Every track still held: tentative, confirmed, and lost or exited ones within the history horizon. */
  Collection<Track> tracks();
}
