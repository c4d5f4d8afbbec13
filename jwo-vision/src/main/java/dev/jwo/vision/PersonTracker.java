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
 * <p>The tracker never sees features it may not use. Frames given to {@link #update} keep only features that
 * are never biometric (clothing colour) and that the compliance guard allows for a person not yet identified; the
 * tracker may compare those to tell people apart. Other features reach it only after the caller has asked which
 * track each detection belongs to ({@link #update}) and asked the guard about that track's person: then it passes
 * the allowed ones to {@link #addAppearance}.
 *
 * <p>What the pipeline relies on: a person keeps one track id while seen, through the odd missed frame (spurious
 * detections and misses are normal, see the store log format), and two people apart keep two; a detection seen
 * once and never again is never confirmed; a confirmed track not seen for the tracker's timeout becomes
 * {@link TrackStatus#LOST} and stays held for a while; an exited track is never matched or changed again; tracks
 * are eventually forgotten, so memory stays bounded in a store open all day. Each track's history keeps the hands
 * seen with its detections for at least the last several seconds, because shelf events are attributed from it
 * after they settle. Unknown track ids are ignored, not errors.
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

  /**
   * Forgets every appearance feature of a track (its person withdrew consent, or the visit ended): afterwards
   * {@link #appearanceSimilarity} finds none for it until new ones are added.
   */
  void forgetAppearance(TrackId track);

  /**
   * Moves time forward: confirms, loses and forgets tracks as their detections dictate. Called with non-decreasing
   * times, not necessarily after every frame.
   *
   * @return the status changes since the previous call, each reported once, in a deterministic order; a track
   *     dropped before it was confirmed, or forgotten, has no change
   */
  List<TrackChange> advanceTo(long ts);

  /** Marks a track as having left through an exit; it is no longer matched to detections. */
  void markExited(TrackId track, long ts);

  Optional<Track> track(TrackId id);

  /** Every track still held: tentative, confirmed, and lost or exited ones within the history horizon. */
  Collection<Track> tracks();
}
