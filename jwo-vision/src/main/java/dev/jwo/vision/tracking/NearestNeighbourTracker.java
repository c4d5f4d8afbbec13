package dev.jwo.vision.tracking;

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
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Tracks people by assigning each detection to the nearest predicted track position within a gate, greedily
 * from the closest pair. Positions are smoothed with an alpha-beta filter. Lost tracks may be continued by a
 * detection within a gate that widens with the time they have been unseen. Deterministic: ties are broken by
 * track number and detection index.
 */
public final class NearestNeighbourTracker implements PersonTracker {
  private static final double ALPHA = 0.5;
  private static final double BETA = 0.1;
  private static final double MAX_SPEED = 2.5;
  /** A detection this close to a track already matched in the same frame is the same person seen twice. */
  private static final double SAME_PERSON_METRES = 0.35;
  private static final double APPEARANCE_RATE = 0.1;

  private final TrackerSettings settings;
  private final Map<TrackId, MutableTrack> tracks = new LinkedHashMap<>();
  private final List<TrackChange> pendingChanges = new ArrayList<>();
  private long nextNumber = 1;

  @Inject
  public NearestNeighbourTracker(TrackerSettings settings) {
    this.settings = settings;
  }

  @Override
  public List<@Nullable TrackId> update(FrameEvent frame) {
    long ts = frame.ts();
    List<PersonObservation> people = frame.people();
    List<Candidate> candidates = new ArrayList<>();
    for (MutableTrack track : tracks.values()) {
      if (track.status == TrackStatus.EXITED) {
        continue;
      }
      Position predicted = track.predict(ts);
      double gate = gateOf(track, ts);
      for (int i = 0; i < people.size(); i++) {
        double distance = predicted.distanceTo(people.get(i).position());
        if (distance <= gate) {
          candidates.add(new Candidate(track, i, distance, track.status == TrackStatus.LOST ? 1 : 0));
        }
      }
    }
    // Live tracks first, then by distance; ties by track number and detection index.
    candidates.sort(Comparator.comparingInt(Candidate::lostRank)
        .thenComparingDouble(Candidate::distance)
        .thenComparingLong(c -> c.track.number)
        .thenComparingInt(Candidate::detection));
    @Nullable TrackId[] assigned = new TrackId[people.size()];
    List<MutableTrack> matched = new ArrayList<>();
    for (Candidate c : candidates) {
      if (assigned[c.detection] != null || matched.contains(c.track)) {
        continue;
      }
      assigned[c.detection] = c.track.id;
      matched.add(c.track);
      PersonObservation person = people.get(c.detection);
      if (c.track.status == TrackStatus.LOST) {
        c.track.status = TrackStatus.CONFIRMED;
        pendingChanges.add(new TrackChange(c.track.id, TrackStatus.CONFIRMED, ts));
      }
      c.track.observe(ts, person.position(), person.hands());
      if (c.track.status == TrackStatus.TENTATIVE && c.track.hits >= settings.hitsToConfirm()) {
        c.track.status = TrackStatus.CONFIRMED;
        pendingChanges.add(new TrackChange(c.track.id, TrackStatus.CONFIRMED, ts));
      }
    }
    for (int i = 0; i < people.size(); i++) {
      if (assigned[i] != null) {
        continue;
      }
      PersonObservation person = people.get(i);
      boolean duplicate = matched.stream()
          .anyMatch(t -> t.position().distanceTo(person.position()) < SAME_PERSON_METRES);
      if (duplicate) {
        continue;
      }
      MutableTrack track = new MutableTrack(TrackId.of("t" + nextNumber), nextNumber, ts, person);
      nextNumber++;
      tracks.put(track.id, track);
      matched.add(track);
      assigned[i] = track.id;
      if (settings.hitsToConfirm() <= 1) {
        track.status = TrackStatus.CONFIRMED;
        pendingChanges.add(new TrackChange(track.id, TrackStatus.CONFIRMED, ts));
      }
    }
    return Arrays.asList(assigned);
  }

  private double gateOf(MutableTrack track, long ts) {
    double unseenSeconds = Math.max(0, ts - track.lastSeen) / 1000.0;
    return Math.min(settings.maxGateMetres(),
        settings.gateMetres() + settings.lostGrowthMetresPerSecond() * Math.max(0, unseenSeconds - 0.2));
  }

  @Override
  public void addAppearance(TrackId id, FeatureKind kind, FeatureVector features, long ts) {
    MutableTrack track = tracks.get(id);
    if (track == null || kind == FeatureKind.NONE) {
      return;
    }
    double[] values = features.toArray();
    double[] template = track.appearance.get(kind);
    if (template == null || template.length != values.length) {
      track.appearance.put(kind, values);
      return;
    }
    for (int i = 0; i < values.length; i++) {
      template[i] = (1 - APPEARANCE_RATE) * template[i] + APPEARANCE_RATE * values[i];
    }
  }

  @Override
  public Optional<Double> appearanceSimilarity(TrackId a, TrackId b, FeatureKind kind) {
    MutableTrack first = tracks.get(a);
    MutableTrack second = tracks.get(b);
    if (first == null || second == null) {
      return Optional.empty();
    }
    double[] x = first.appearance.get(kind);
    double[] y = second.appearance.get(kind);
    if (x == null || y == null || x.length != y.length) {
      return Optional.empty();
    }
    double cosine = FeatureVector.of(x).cosineSimilarity(FeatureVector.of(y));
    return Optional.of(Math.max(0, cosine));
  }

  @Override
  public void forgetAppearance(TrackId id) {
    MutableTrack track = tracks.get(id);
    if (track != null) {
      track.appearance.clear();
    }
  }

  @Override
  public List<TrackChange> advanceTo(long ts) {
    List<TrackChange> changes = new ArrayList<>(pendingChanges);
    pendingChanges.clear();
    for (Iterator<MutableTrack> it = tracks.values().iterator(); it.hasNext(); ) {
      MutableTrack track = it.next();
      long unseen = ts - track.lastSeen;
      switch (track.status) {
        case TENTATIVE -> {
          if (unseen > settings.tentativeTimeoutMillis()) {
            it.remove();
          }
        }
        case CONFIRMED -> {
          if (unseen > settings.lostAfterMillis()) {
            track.status = TrackStatus.LOST;
            changes.add(new TrackChange(track.id, TrackStatus.LOST, ts));
          }
        }
        case LOST -> {
          if (unseen > settings.forgetLostAfterMillis()) {
            it.remove();
          }
        }
        case EXITED -> {
          if (unseen > settings.historyMillis()) {
            it.remove();
          }
        }
      }
      track.trimHistory(ts - settings.historyMillis());
    }
    return changes;
  }

  @Override
  public void markExited(TrackId id, long ts) {
    MutableTrack track = tracks.get(id);
    if (track != null && track.status != TrackStatus.EXITED) {
      track.status = TrackStatus.EXITED;
      track.appearance.clear();
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

  private record Candidate(MutableTrack track, int detection, double distance, int lostRank) {}

  /** A track as the tracker updates it; exposed read-only through {@link Track}. */
  private static final class MutableTrack implements Track {
    final TrackId id;
    final long number;
    final TrackPoint born;
    final ArrayDeque<TrackPoint> history = new ArrayDeque<>();
    final EnumMap<FeatureKind, double[]> appearance = new EnumMap<>(FeatureKind.class);
    TrackStatus status = TrackStatus.TENTATIVE;
    double x;
    double y;
    double vx;
    double vy;
    long lastSeen;
    int hits;

    MutableTrack(TrackId id, long number, long ts, PersonObservation first) {
      this.id = id;
      this.number = number;
      this.born = new TrackPoint(ts, first.position(), first.hands());
      this.x = first.position().x();
      this.y = first.position().y();
      this.lastSeen = ts;
      this.hits = 1;
      history.add(born);
    }

    Position predict(long ts) {
      double dt = Math.min(1.0, Math.max(0, ts - lastSeen) / 1000.0);
      return new Position(x + vx * dt, y + vy * dt);
    }

    void observe(long ts, Position observed, List<Point3> hands) {
      double dt = Math.max(0, ts - lastSeen) / 1000.0;
      Position predicted = predict(ts);
      double rx = observed.x() - predicted.x();
      double ry = observed.y() - predicted.y();
      x = predicted.x() + ALPHA * rx;
      y = predicted.y() + ALPHA * ry;
      if (dt > 0.02) {
        vx += BETA * rx / dt;
        vy += BETA * ry / dt;
        double speed = Math.hypot(vx, vy);
        if (speed > MAX_SPEED) {
          vx *= MAX_SPEED / speed;
          vy *= MAX_SPEED / speed;
        }
      }
      lastSeen = Math.max(lastSeen, ts);
      hits++;
      history.add(new TrackPoint(ts, new Position(x, y), hands));
    }

    void trimHistory(long before) {
      while (history.size() > 1 && history.peekFirst().ts() < before) {
        history.pollFirst();
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
      return new Position(x, y);
    }

    @Override
    public long lastSeenTs() {
      return lastSeen;
    }

    @Override
    public List<TrackPoint> history() {
      return List.copyOf(history);
    }

    @Override
    public List<TrackPoint> historyBetween(long fromTs, long toTs) {
      List<TrackPoint> points = new ArrayList<>();
      for (Iterator<TrackPoint> it = history.descendingIterator(); it.hasNext(); ) {
        TrackPoint point = it.next();
        if (point.ts() < fromTs) {
          break;
        }
        if (point.ts() <= toTs) {
          points.add(point);
        }
      }
      Collections.reverse(points);
      return points;
    }
  }
}
