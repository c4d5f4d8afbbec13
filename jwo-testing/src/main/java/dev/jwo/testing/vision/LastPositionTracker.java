package dev.jwo.testing.vision;

import dev.jwo.core.FeatureKind;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackChange;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A simple {@link PersonTracker} for tests: each detection, in the frame's order, goes to the track whose last
 * detection is nearest, within a fixed radius; a track's position is simply its last detection, and its appearance
 * the last features added. No prediction, no smoothing, no gate that widens: cruder than the default, and a
 * different algorithm, but it keeps the contract. Fixed timings: confirmed after {@value #HITS_TO_CONFIRM}
 * detections, lost after {@value #LOST_AFTER_MILLIS} ms unseen, forgotten a minute later; history of 30 s.
 */
public final class LastPositionTracker implements PersonTracker {
  /** A confirmed track not seen for longer than this is lost. */
  public static final long LOST_AFTER_MILLIS = 1_500;
  static final int HITS_TO_CONFIRM = 3;
  private static final double MATCH_METRES = 1.0;
  /** A detection this close to a track already matched in the same frame is that person seen twice. */
  private static final double SAME_PERSON_METRES = 0.35;
  private static final long TENTATIVE_TIMEOUT_MILLIS = 1_000;
  private static final long FORGET_LOST_AFTER_MILLIS = 60_000;
  private static final long HISTORY_MILLIS = 30_000;

  private final Map<TrackId, Entry> tracks = new LinkedHashMap<>();
  private final List<TrackChange> pending = new ArrayList<>();
  private long nextNumber = 1;

  @Override
  public List<@Nullable TrackId> update(FrameEvent frame) {
    long ts = frame.ts();
    List<Entry> matched = new ArrayList<>();
    List<@Nullable TrackId> assigned = new ArrayList<>();
    for (PersonObservation person : frame.people()) {
      Entry nearest = null;
      double nearestMetres = MATCH_METRES;
      for (Entry entry : tracks.values()) {
        double metres = entry.position.distanceTo(person.position());
        if (entry.status != TrackStatus.EXITED && !matched.contains(entry) && metres <= nearestMetres) {
          if (nearest == null || metres < nearestMetres) {
            nearest = entry;
            nearestMetres = metres;
          }
        }
      }
      if (nearest != null) {
        matched.add(nearest);
        nearest.observe(ts, person);
        assigned.add(nearest.id);
      } else if (matched.stream().anyMatch(e -> e.position.distanceTo(person.position()) < SAME_PERSON_METRES)) {
        assigned.add(null);
      } else {
        Entry entry = new Entry(TrackId.of("p" + nextNumber++), ts, person);
        tracks.put(entry.id, entry);
        matched.add(entry);
        assigned.add(entry.id);
      }
    }
    return assigned;
  }

  @Override
  public void addAppearance(TrackId track, FeatureKind kind, FeatureVector features, long ts) {
    Entry entry = tracks.get(track);
    if (entry != null && kind != FeatureKind.NONE) {
      entry.appearance.put(kind, features);
    }
  }

  @Override
  public Optional<Double> appearanceSimilarity(TrackId a, TrackId b, FeatureKind kind) {
    Entry first = tracks.get(a);
    Entry second = tracks.get(b);
    FeatureVector x = first == null ? null : first.appearance.get(kind);
    FeatureVector y = second == null ? null : second.appearance.get(kind);
    if (x == null || y == null) {
      return Optional.empty();
    }
    return Optional.of(Math.max(0, x.cosineSimilarity(y)));
  }

  @Override
  public void forgetAppearance(TrackId track) {
    Entry entry = tracks.get(track);
    if (entry != null) {
      entry.appearance.clear();
    }
  }

  @Override
  public List<TrackChange> advanceTo(long ts) {
    List<TrackChange> changes = new ArrayList<>(pending);
    pending.clear();
    for (Iterator<Entry> it = tracks.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      long unseen = ts - entry.lastSeen;
      boolean forget = switch (entry.status) {
        case TENTATIVE -> unseen > TENTATIVE_TIMEOUT_MILLIS;
        case LOST -> unseen > LOST_AFTER_MILLIS + FORGET_LOST_AFTER_MILLIS;
        case EXITED -> ts - entry.exited > HISTORY_MILLIS;
        case CONFIRMED -> false;
      };
      if (forget) {
        it.remove();
        continue;
      }
      if (entry.status == TrackStatus.CONFIRMED && unseen > LOST_AFTER_MILLIS) {
        entry.status = TrackStatus.LOST;
        changes.add(new TrackChange(entry.id, TrackStatus.LOST, ts));
      }
      while (entry.history.size() > 1 && entry.history.peekFirst().ts() < ts - HISTORY_MILLIS) {
        entry.history.removeFirst();
      }
    }
    return changes;
  }

  @Override
  public void markExited(TrackId track, long ts) {
    Entry entry = tracks.get(track);
    if (entry != null && entry.status != TrackStatus.EXITED) {
      entry.status = TrackStatus.EXITED;
      entry.exited = ts;
      entry.appearance.clear();
    }
  }

  @Override
  public Optional<Track> track(TrackId id) {
    return Optional.ofNullable(tracks.get(id));
  }

  @Override
  public Collection<Track> tracks() {
    return List.copyOf(tracks.values());
  }

  /** One track as this tracker keeps it, read through {@link Track}. */
  private final class Entry implements Track {
    final TrackId id;
    final TrackPoint born;
    final ArrayDeque<TrackPoint> history = new ArrayDeque<>();
    final Map<FeatureKind, FeatureVector> appearance = new EnumMap<>(FeatureKind.class);
    TrackStatus status = TrackStatus.TENTATIVE;
    Position position;
    long lastSeen;
    long exited;
    int hits;

    Entry(TrackId id, long ts, PersonObservation first) {
      this.id = id;
      this.born = new TrackPoint(ts, first.position(), first.hands());
      this.position = first.position();
      this.lastSeen = ts;
      this.hits = 1;
      history.add(born);
      confirmIfDue(ts);
    }

    void observe(long ts, PersonObservation person) {
      position = person.position();
      lastSeen = ts;
      hits++;
      history.add(new TrackPoint(ts, person.position(), person.hands()));
      if (status == TrackStatus.LOST) {
        status = TrackStatus.CONFIRMED;
        pending.add(new TrackChange(id, TrackStatus.CONFIRMED, ts));
      }
      confirmIfDue(ts);
    }

    private void confirmIfDue(long ts) {
      if (status == TrackStatus.TENTATIVE && hits >= HITS_TO_CONFIRM) {
        status = TrackStatus.CONFIRMED;
        pending.add(new TrackChange(id, TrackStatus.CONFIRMED, ts));
      }
    }

    @Override
    public TrackId id() {
      return id;
    }

    @Override
    public TrackStatus status() {
      return status;
    }

    @Override
    public TrackPoint born() {
      return born;
    }

    @Override
    public Position position() {
      return position;
    }

    @Override
    public long lastSeenTs() {
      return lastSeen;
    }

    @Override
    public List<TrackPoint> history() {
      return List.copyOf(history);
    }
  }
}
