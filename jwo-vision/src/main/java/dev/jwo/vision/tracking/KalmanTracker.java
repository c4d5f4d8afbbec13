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
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Tracks people with a constant-velocity Kalman filter per track and a globally optimal assignment of each
 * frame's detections to tracks. A detection is assigned to a live track only inside the track's gate: a few
 * standard deviations of its predicted position (body noise plus the uncertainty that grows while a person is
 * unseen), and never beyond {@link TrackerSettings#gateMetres()}. Among the pairs inside their gates, the
 * assignment minimises the sum of normalised distances (Hungarian method), so that two people walking close
 * together do not swap tracks the way a greedy nearest-first choice lets them. Confirmed tracks take precedence
 * over tentative ones. Detections no live track explains start tentative tracks; a tentative track that is
 * confirmed where the person of a lost track could have walked since it was last seen continues that lost track
 * (single detections never revive a lost track, so spurious ones cannot keep it alive). Deterministic: ties are
 * broken by the order in which tracks were started and by detection index.
 */
public final class KalmanTracker implements PersonTracker {
  private static final double MAX_SPEED = 2.5;
  /** Standard deviation of a detection's position: the body noise of the store log format plus calibration. */
  private static final double MEASUREMENT_SD = 0.15;
  /** How unsteadily people walk: the spectral density of their acceleration, in m^2/s^3. */
  private static final double ACCELERATION_DENSITY = 0.8;
  /** Initial speed uncertainty of a new track, one standard deviation in m/s. */
  private static final double INITIAL_SPEED_SD = 1.0;
  /** Gate in standard deviations (squared Mahalanobis distance over two axes). */
  private static final double GATE_CHI2 = 16.0;
  /** Extra cost for assigning a detection to a tentative track rather than a confirmed one. */
  private static final double TENTATIVE_PENALTY = 4.0;
  /** Beyond this, a track's velocity is not extrapolated (people stop and turn). */
  private static final double MAX_EXTRAPOLATION_SECONDS = 0.5;
  private static final double APPEARANCE_RATE = 0.1;

  private final TrackerSettings settings;
  private final Map<TrackId, MutableTrack> tracks = new LinkedHashMap<>();
  private final List<TrackChange> pendingChanges = new ArrayList<>();
  private long nextNumber = 1;

  @Inject
  public KalmanTracker(TrackerSettings settings) {
    this.settings = settings;
  }

  @Override
  public List<@Nullable TrackId> update(FrameEvent frame) {
    long ts = frame.ts();
    List<PersonObservation> people = frame.people();
    @Nullable TrackId[] assigned = new TrackId[people.size()];
    if (people.isEmpty()) {
      return Arrays.asList(assigned);
    }
    List<MutableTrack> live = new ArrayList<>();
    for (MutableTrack track : tracks.values()) {
      if (track.status == TrackStatus.CONFIRMED || track.status == TrackStatus.TENTATIVE) {
        live.add(track);
      }
    }
    boolean[] explained = new boolean[people.size()];
    List<MutableTrack> confirmedNow = assign(ts, people, live, assigned, explained);
    for (MutableTrack track : confirmedNow) {
      MutableTrack previous = lostTrackContinuedBy(track);
      if (previous == null) {
        pendingChanges.add(new TrackChange(track.id, TrackStatus.CONFIRMED, ts));
        continue;
      }
      // The person of a lost track, seen again: the lost track takes over the new one, which never was a person.
      previous.absorb(track);
      tracks.remove(track.id);
      pendingChanges.add(new TrackChange(previous.id, TrackStatus.CONFIRMED, ts));
      for (int i = 0; i < assigned.length; i++) {
        if (track.id.equals(assigned[i])) {
          assigned[i] = previous.id;
        }
      }
    }
    for (int i = 0; i < people.size(); i++) {
      if (assigned[i] != null || explained[i]) {
        continue;
      }
      PersonObservation person = people.get(i);
      MutableTrack track = new MutableTrack(TrackId.of("t" + nextNumber), ts, person);
      nextNumber++;
      tracks.put(track.id, track);
      assigned[i] = track.id;
      if (settings.hitsToConfirm() <= 1) {
        track.status = TrackStatus.CONFIRMED;
        pendingChanges.add(new TrackChange(track.id, TrackStatus.CONFIRMED, ts));
      }
    }
    return Arrays.asList(assigned);
  }

  /**
   * Assigns detections to live tracks by minimum total cost. A detection inside a confirmed track's gate that
   * loses the assignment is marked explained: it is that person's neighbour or a second view, not a new person.
   *
   * @return the tentative tracks that these detections confirmed
   */
  private List<MutableTrack> assign(long ts, List<PersonObservation> people, List<MutableTrack> candidates,
      @Nullable TrackId[] assigned, boolean[] explained) {
    List<MutableTrack> confirmed = new ArrayList<>();
    List<double[]> costs = new ArrayList<>();
    List<MutableTrack> inPlay = new ArrayList<>();
    for (MutableTrack track : candidates) {
      double[] row = new double[people.size()];
      boolean any = false;
      for (int i = 0; i < people.size(); i++) {
        double cost = track.cost(ts, people.get(i).position(), settings.gateMetres());
        row[i] = cost + (track.status == TrackStatus.TENTATIVE ? TENTATIVE_PENALTY : 0);
        if (Double.isFinite(cost)) {
          any = true;
          if (track.status == TrackStatus.CONFIRMED) {
            explained[i] = true;
          }
        }
      }
      if (any) {
        inPlay.add(track);
        costs.add(row);
      }
    }
    if (inPlay.isEmpty()) {
      return confirmed;
    }
    int[] choice = Assignment.solve(costs.toArray(double[][]::new), people.size());
    for (int r = 0; r < choice.length; r++) {
      int i = choice[r];
      if (i < 0) {
        continue;
      }
      MutableTrack track = inPlay.get(r);
      PersonObservation person = people.get(i);
      assigned[i] = track.id;
      track.observe(ts, person.position(), person.hands());
      if (track.status == TrackStatus.TENTATIVE && track.hits >= settings.hitsToConfirm()) {
        track.status = TrackStatus.CONFIRMED;
        confirmed.add(track);
      }
    }
    return confirmed;
  }

  /**
   * The lost track that a newly confirmed one most likely continues: the nearest whose person could have walked
   * to where the new track was born in the time it was unseen. Lost tracks are not revived by single detections,
   * so that spurious detections cannot keep them alive and drag them about.
   */
  private @Nullable MutableTrack lostTrackContinuedBy(MutableTrack track) {
    MutableTrack best = null;
    double bestScore = Double.MAX_VALUE;
    for (MutableTrack previous : tracks.values()) {
      if (previous.status != TrackStatus.LOST || previous.lastSeen > track.born.ts()) {
        continue;
      }
      double distance = previous.position().distanceTo(track.born.position());
      double gate = lostGate(previous, track.born.ts());
      if (distance <= gate && distance / gate < bestScore) {
        best = previous;
        bestScore = distance / gate;
      }
    }
    return best;
  }

  private double lostGate(MutableTrack track, long ts) {
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

  /** A track as the tracker updates it; exposed read-only through {@link Track}. */
  private static final class MutableTrack implements Track {
    final TrackId id;
    final TrackPoint born;
    final ArrayDeque<TrackPoint> history = new ArrayDeque<>();
    final EnumMap<FeatureKind, double[]> appearance = new EnumMap<>(FeatureKind.class);
    TrackStatus status = TrackStatus.TENTATIVE;
    /** State at {@link #lastSeen}: position, velocity, and the per-axis covariance of position and velocity. */
    double x;
    double y;
    double vx;
    double vy;
    double pp;
    double pv;
    double vv;
    long lastSeen;
    int hits;

    MutableTrack(TrackId id, long ts, PersonObservation first) {
      this.id = id;
      this.born = new TrackPoint(ts, first.position(), first.hands());
      this.x = first.position().x();
      this.y = first.position().y();
      this.pp = MEASUREMENT_SD * MEASUREMENT_SD;
      this.vv = INITIAL_SPEED_SD * INITIAL_SPEED_SD;
      this.lastSeen = ts;
      this.hits = 1;
      history.add(born);
    }

    private double extrapolation(long ts) {
      return Math.min(MAX_EXTRAPOLATION_SECONDS, Math.max(0, ts - lastSeen) / 1000.0);
    }

    Position predict(long ts) {
      double dt = extrapolation(ts);
      return new Position(x + vx * dt, y + vy * dt);
    }

    /** Variance of the predicted position on each axis, plus the measurement's. */
    private double innovationVariance(long ts) {
      double dt = Math.max(0, ts - lastSeen) / 1000.0;
      double q = ACCELERATION_DENSITY;
      return pp + 2 * dt * pv + dt * dt * vv + q * dt * dt * dt / 3 + MEASUREMENT_SD * MEASUREMENT_SD;
    }

    /** Normalised cost of a detection: squared Mahalanobis distance plus log-variance; infinite outside the gate. */
    double cost(long ts, Position observed, double maxMetres) {
      Position predicted = predict(ts);
      double distance = predicted.distanceTo(observed);
      if (distance > maxMetres) {
        return Double.POSITIVE_INFINITY;
      }
      double s = innovationVariance(ts);
      double d2 = distance * distance / s;
      return d2 > GATE_CHI2 ? Double.POSITIVE_INFINITY : d2 + 2 * Math.log(s / (MEASUREMENT_SD * MEASUREMENT_SD));
    }

    void observe(long ts, Position observed, List<Point3> hands) {
      double dt = Math.max(0, ts - lastSeen) / 1000.0;
      if (dt > MAX_EXTRAPOLATION_SECONDS) {
        // Long unseen: where they went is unknown; restart the motion model from here.
        x = observed.x();
        y = observed.y();
        vx = 0;
        vy = 0;
        pp = MEASUREMENT_SD * MEASUREMENT_SD;
        pv = 0;
        vv = INITIAL_SPEED_SD * INITIAL_SPEED_SD;
      } else {
        double q = ACCELERATION_DENSITY;
        double ppPredicted = pp + 2 * dt * pv + dt * dt * vv + q * dt * dt * dt / 3;
        double pvPredicted = pv + dt * vv + q * dt * dt / 2;
        double vvPredicted = vv + q * dt;
        double px = x + vx * dt;
        double py = y + vy * dt;
        double s = ppPredicted + MEASUREMENT_SD * MEASUREMENT_SD;
        double kp = ppPredicted / s;
        double kv = pvPredicted / s;
        double rx = observed.x() - px;
        double ry = observed.y() - py;
        x = px + kp * rx;
        y = py + kp * ry;
        vx += kv * rx;
        vy += kv * ry;
        pp = (1 - kp) * ppPredicted;
        pv = (1 - kp) * pvPredicted;
        vv = vvPredicted - kv * pvPredicted;
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

    /** Takes over a newer track of the same person: its state, hits and history. */
    void absorb(MutableTrack newer) {
      history.addAll(newer.history);
      x = newer.x;
      y = newer.y;
      vx = newer.vx;
      vy = newer.vy;
      pp = newer.pp;
      pv = newer.pv;
      vv = newer.vv;
      lastSeen = newer.lastSeen;
      hits += newer.hits;
      status = TrackStatus.CONFIRMED;
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
