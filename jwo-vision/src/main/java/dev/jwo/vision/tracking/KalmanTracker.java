package dev.jwo.vision.tracking;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.compliance.DataCategory;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.pipeline.SnapshotPart;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackChange;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.TrackStatus;
import dev.jwo.vision.v1.AppearanceState;
import dev.jwo.vision.v1.CameraNoise;
import dev.jwo.vision.v1.KalmanTrackerState;
import dev.jwo.vision.v1.TrackChangeState;
import dev.jwo.vision.v1.TrackPairState;
import dev.jwo.vision.v1.TrackState;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Tracks people with a constant-velocity Kalman filter per track and a globally optimal assignment of each
 * frame's detections to tracks.
 *
 * <p>There is no fixed association gate. Each camera's measurement noise is estimated from the data: the
 * residuals of detections that only one confirmed track could have explained, less the filter's own prediction
 * uncertainty, averaged per camera (starting from {@link TrackerSettings#initialNoiseMetres()}). A detection is
 * assigned to a live track only inside a few standard deviations of the track's predicted position (that noise
 * plus the uncertainty that grows while a person is unseen). Among the pairs inside their gates, the assignment
 * minimises the sum of normalised distances (Hungarian method), so that two people walking close together do not
 * swap tracks the way a greedy nearest-first choice lets them. Confirmed tracks take precedence over tentative ones.
 * The noise estimate takes each residual clipped at many times the current estimate, so that a gross outlier cannot
 * inflate it (a wider gate lets more of them in, which would inflate it further), while the heavy tails of real
 * detectors' errors still widen the gates as they must.
 *
 * <p>Where detections carry appearance features (the caller passes only those it may use, see
 * {@link PersonTracker}), each track keeps a look (the running mean of its views, unit length) and an assignment
 * costs also the squared distance between the detection's features and the track's look, in units of the spread
 * of one person's own views (learnt from unambiguous assignments, like the noise), capped so that appearance
 * weighs like a few standard deviations of position: two people who meet and turn back keep their tracks.
 *
 * <p>Detections no live track explains start tentative tracks. A tentative track that is confirmed where the person
 * of a lost track could have walked to continues that track instead of becoming a second one (single detections
 * never revive a lost track, so spurious ones cannot keep it alive). Two confirmed tracks that follow each other
 * within their noise and are never seen in the same camera frame are one person seen twice (a track whose
 * detections jumped, and the second track they started): the younger is merged into the older
 * ({@link TrackChange#mergedInto()}). Deterministic: ties are broken by the order in which
 * tracks were started and by detection index.
 */
public final class KalmanTracker implements PersonTracker, SnapshotPart {
  private static final double MAX_SPEED = 2.5;
  /** How unsteadily people walk: the spectral density of their acceleration, in m^2/s^3. */
  private static final double ACCELERATION_DENSITY = 0.8;
  /** Initial speed uncertainty of a new track, one standard deviation in m/s. */
  private static final double INITIAL_SPEED_SD = 1.0;
  /**
   * Gate in standard deviations (squared Mahalanobis distance over two axes): five, because detectors' errors have
   * heavier tails than a normal distribution.
   */
  private static final double GATE_CHI2 = 25.0;
  /**
   * A detection this close (squared Mahalanobis distance) to a confirmed track that another detection of the same
   * frame took is a second view of that person, not a new one.
   */
  private static final double SECOND_VIEW_CHI2 = 4.0;
  /** Extra cost for assigning a detection to a tentative track rather than a confirmed one. */
  private static final double TENTATIVE_PENALTY = 4.0;
  /** Beyond this, a track's velocity is not extrapolated (people stop and turn). */
  private static final double MAX_EXTRAPOLATION_SECONDS = 0.5;
  private static final double APPEARANCE_RATE = 0.1;
  /** Beyond this squared Mahalanobis distance a detection counts as partly an outlier: its noise is inflated. */
  private static final double ROBUST_CHI2 = 6.0;
  /** Lost tracks are continued within this many standard deviations of measurement noise, plus walking reach. */
  private static final double REACH_SIGMAS = 4.0;
  /** Two confirmed tracks closer than this (squared Mahalanobis distance of their difference) are one person... */
  private static final double DUPLICATE_CHI2 = 12.0;
  /** ... when that held at this many updates in a row ... */
  private static final int DUPLICATE_UPDATES = 5;
  /** ... and no camera saw both in one frame for this long. */
  private static final long DISTINCT_MEMORY_MILLIS = 10_000;
  /**
   * Distance between two views of one person's appearance (unit-length feature vectors), one standard deviation,
   * assumed before it is measured from the data.
   */
  private static final double APPEARANCE_PRIOR_SD = 0.2;
  /** The most a difference in appearance adds to an assignment's cost (about four standard deviations). */
  private static final double APPEARANCE_CAP = 16.0;
  /**
   * A view further than this many standard deviations from a track's look is not learnt into it: it is probably
   * someone else, and the old look is what lets a later frame give the track back its own person.
   */
  private static final double DIFFERENT_LOOK_SIGMAS = 4.0;
  /** How fast a track's look follows its latest views. */
  private static final double LOOK_RATE = 0.2;

  private final TrackerSettings settings;
  private final Map<TrackId, MutableTrack> tracks = new LinkedHashMap<>();
  private final Map<CameraId, NoiseEstimate> noise = new HashMap<>();
  /** Squared appearance distance between a track's look and a view of its own person, learnt like the noise. */
  private final NoiseEstimate lookSpread = new NoiseEstimate(APPEARANCE_PRIOR_SD * APPEARANCE_PRIOR_SD);
  /** Pairs of confirmed tracks (by start order) seen together or following each other closely. */
  private final Map<Long, PairState> pairs = new HashMap<>();
  private final List<TrackChange> pendingChanges = new ArrayList<>();
  private long nextNumber = 1;

  @Inject
  public KalmanTracker(TrackerSettings settings) {
    this.settings = settings;
  }

  /** The measurement noise currently estimated for a camera, one standard deviation per axis in metres. */
  public double measurementNoiseMetres(CameraId camera) {
    NoiseEstimate estimate = noise.get(camera);
    return Math.sqrt(estimate == null ? initialVariance() : estimate.variance);
  }

  private double initialVariance() {
    return settings.initialNoiseMetres() * settings.initialNoiseMetres();
  }

  @Override
  public List<@Nullable TrackId> update(FrameEvent frame) {
    long ts = frame.ts();
    List<PersonObservation> people = frame.people();
    @Nullable TrackId[] assigned = new TrackId[people.size()];
    if (people.isEmpty()) {
      return Arrays.asList(assigned);
    }
    NoiseEstimate cameraNoise = noise.computeIfAbsent(frame.camera(), c -> new NoiseEstimate(initialVariance()));
    List<MutableTrack> live = new ArrayList<>();
    for (MutableTrack track : tracks.values()) {
      if (track.status == TrackStatus.CONFIRMED || track.status == TrackStatus.TENTATIVE) {
        live.add(track);
      }
    }
    boolean[] explained = new boolean[people.size()];
    List<MutableTrack> confirmedNow = assign(ts, people, live, assigned, explained, cameraNoise);
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
      MutableTrack track = new MutableTrack(TrackId.of("t" + nextNumber), nextNumber, ts, person, cameraNoise.variance);
      nextNumber++;
      tracks.put(track.id, track);
      assigned[i] = track.id;
      if (settings.hitsToConfirm() <= 1) {
        track.status = TrackStatus.CONFIRMED;
        pendingChanges.add(new TrackChange(track.id, TrackStatus.CONFIRMED, ts));
      }
    }
    mergeDuplicates(ts, assigned, cameraNoise.variance);
    return Arrays.asList(assigned);
  }

  /**
   * Assigns detections to live tracks by minimum total cost. A detection close to a confirmed track that another
   * detection took is marked explained: it is a second view of that person, not a new person.
   *
   * @return the tentative tracks that these detections confirmed
   */
  private List<MutableTrack> assign(long ts, List<PersonObservation> people, List<MutableTrack> candidates,
      @Nullable TrackId[] assigned, boolean[] explained, NoiseEstimate cameraNoise) {
    List<MutableTrack> confirmed = new ArrayList<>();
    List<double[]> costs = new ArrayList<>();
    List<double[]> distances = new ArrayList<>();
    List<MutableTrack> inPlay = new ArrayList<>();
    double r = cameraNoise.variance;
    int[] candidatesPerDetection = new int[people.size()];
    List<double @Nullable []> views = new ArrayList<>(people.size());
    for (PersonObservation person : people) {
      views.add(view(person));
    }
    for (MutableTrack track : candidates) {
      double[] row = new double[people.size()];
      double[] d2s = new double[people.size()];
      boolean any = false;
      for (int i = 0; i < people.size(); i++) {
        double d2 = track.mahalanobis2(ts, people.get(i).position(), r);
        d2s[i] = d2;
        double cost = d2 > GATE_CHI2 ? Double.POSITIVE_INFINITY
            : d2 + track.logVarianceCost(ts, r) + appearanceCost(track, views.get(i));
        row[i] = cost + (track.status == TrackStatus.TENTATIVE ? TENTATIVE_PENALTY : 0);
        if (Double.isFinite(cost)) {
          any = true;
          candidatesPerDetection[i]++;
        }
      }
      if (any) {
        inPlay.add(track);
        costs.add(row);
        distances.add(d2s);
      }
    }
    if (inPlay.isEmpty()) {
      return confirmed;
    }
    int[] choice = Assignment.solve(costs.toArray(double[][]::new), people.size());
    boolean[] taken = new boolean[people.size()];
    for (int c : choice) {
      if (c >= 0) {
        taken[c] = true;
      }
    }
    for (int row = 0; row < choice.length; row++) {
      MutableTrack track = inPlay.get(row);
      if (track.status != TrackStatus.CONFIRMED) {
        continue;
      }
      for (int i = 0; i < people.size(); i++) {
        if (!taken[i] && distances.get(row)[i] <= SECOND_VIEW_CHI2 && choice[row] >= 0) {
          explained[i] = true;
        }
      }
    }
    for (int row = 0; row < choice.length; row++) {
      int i = choice[row];
      if (i < 0) {
        continue;
      }
      MutableTrack track = inPlay.get(row);
      PersonObservation person = people.get(i);
      assigned[i] = track.id;
      boolean unambiguous = track.status == TrackStatus.CONFIRMED && candidatesPerDetection[i] == 1
          && track.hits >= 2 * settings.hitsToConfirm() && onlyOneInGate(costs.get(row));
      // Detectors' errors have heavy tails: a detection far from the prediction moves the track less.
      double d2 = distances.get(row)[i];
      double weight = d2 > ROBUST_CHI2 ? d2 / ROBUST_CHI2 : 1;
      double @Nullable [] view = views.get(i);
      double look = track.lookDistance2(view);
      double residual = track.observe(ts, person.position(), person.hands(), r, weight);
      if (unambiguous && Double.isFinite(residual)) {
        cameraNoise.add(residual, settings.initialNoiseMetres());
      }
      if (unambiguous && Double.isFinite(look)) {
        lookSpread.add(look, APPEARANCE_PRIOR_SD);
      }
      if (!Double.isFinite(look) || !differentLooks(look)) {
        track.see(view);
      }
      if (track.status == TrackStatus.TENTATIVE && track.hits >= settings.hitsToConfirm()) {
        track.status = TrackStatus.CONFIRMED;
        confirmed.add(track);
      }
    }
    return confirmed;
  }

  /**
   * What a detection's appearance adds to the cost of giving it to a track: its squared distance from the track's
   * look in units of the spread of one person's own views (about 1 for the same person), capped so that a change
   * of light cannot forbid an assignment outright; 1 when either has no appearance.
   */
  private double appearanceCost(MutableTrack track, double @Nullable [] view) {
    double look = track.lookDistance2(view);
    return Double.isFinite(look) ? Math.min(APPEARANCE_CAP, look / lookSpread.variance) : 1;
  }

  /** A detection's features as a unit-length view, worked out once per frame; null if it has none. */
  private static double @Nullable [] view(PersonObservation person) {
    FeatureVector features = person.features();
    return features == null ? null : unit(features.toArray());
  }

  private boolean differentLooks(double distance2) {
    return distance2 > DIFFERENT_LOOK_SIGMAS * DIFFERENT_LOOK_SIGMAS * lookSpread.variance;
  }

  private static double @Nullable [] unit(double[] values) {
    double norm = 0;
    for (double v : values) {
      norm += v * v;
    }
    if (!(norm > 0) || !Double.isFinite(norm)) {
      return null;
    }
    double length = Math.sqrt(norm);
    double[] unit = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      unit[i] = values[i] / length;
    }
    return unit;
  }

  private static boolean onlyOneInGate(double[] row) {
    int finite = 0;
    for (double c : row) {
      if (Double.isFinite(c)) {
        finite++;
      }
    }
    return finite == 1;
  }

  /**
   * The lost track that a newly confirmed one most likely continues: the nearest whose person could have walked to
   * where the new track was born in the time it was unseen.
   */
  private @Nullable MutableTrack lostTrackContinuedBy(MutableTrack track) {
    MutableTrack best = null;
    double bestScore = Double.MAX_VALUE;
    long bornTs = track.born.ts();
    Position born = track.born.position();
    for (MutableTrack previous : tracks.values()) {
      if (previous.status != TrackStatus.LOST || previous.lastSeen > bornTs) {
        continue;
      }
      double distance = previous.position().distanceTo(born);
      double reach = lostReach(previous, bornTs);

      if (distance <= reach && distance / reach < bestScore) {
        best = previous;
        bestScore = distance / reach;
      }
    }
    return best;
  }

  private double lostReach(MutableTrack track, long ts) {
    double unseenSeconds = Math.max(0, ts - track.lastSeen) / 1000.0;
    return REACH_SIGMAS * Math.sqrt(track.noiseVariance)
        + Math.min(settings.maxReachMetres(), settings.reachMetresPerSecond() * unseenSeconds);
  }

  /**
   * Merges confirmed tracks that follow each other within their noise and that no camera ever saw in one frame
   * (two detections in one frame are two people).
   */
  private void mergeDuplicates(long ts, @Nullable TrackId[] assigned, double r) {
    List<MutableTrack> updated = new ArrayList<>();
    for (TrackId id : assigned) {
      MutableTrack track = id == null ? null : tracks.get(id);
      if (track != null && track.status == TrackStatus.CONFIRMED && track.lastSeen == ts) {
        updated.add(track);
      }
    }
    for (int i = 0; i < updated.size(); i++) {
      for (int j = i + 1; j < updated.size(); j++) {
        pair(updated.get(i), updated.get(j)).lastTogether = ts;
      }
    }
    List<MutableTrack[]> merges = new ArrayList<>();
    for (MutableTrack a : updated) {
      for (MutableTrack b : tracks.values()) {
        if (b == a || b.status != TrackStatus.CONFIRMED) {
          continue;
        }
        Position predicted = b.predict(ts);
        double dx = a.x - predicted.x();
        double dy = a.y - predicted.y();
        double s = a.pp + b.predictedPositionVariance(ts) + r;
        boolean close = (dx * dx + dy * dy) / s <= DUPLICATE_CHI2;
        if (!close && (a.closePairs == 0 || b.closePairs == 0)) {
          continue; // no pair of theirs counts close updates: there is nothing to reset
        }
        PairState pair = close ? pair(a, b) : pairs.get(pairKey(a, b));
        if (pair == null) {
          continue;
        }
        if (!close) {
          if (pair.closeUpdates > 0) {
            a.closePairs--;
            b.closePairs--;
          }
          pair.closeUpdates = 0;
          continue;
        }
        pair.lastClose = ts;
        if (pair.closeUpdates == 0) {
          a.closePairs++;
          b.closePairs++;
        }
        pair.closeUpdates++;
        boolean seenApart = pair.lastTogether != Long.MIN_VALUE && ts - pair.lastTogether < DISTINCT_MEMORY_MILLIS;
        if (pair.closeUpdates >= DUPLICATE_UPDATES && !seenApart) {
          merges.add(a.number < b.number ? new MutableTrack[] {a, b} : new MutableTrack[] {b, a});
        }
      }
    }
    for (MutableTrack[] merge : merges) {
      MutableTrack older = merge[0];
      MutableTrack younger = merge[1];
      if (!tracks.containsKey(older.id) || !tracks.containsKey(younger.id)) {
        continue;
      }
      older.merge(younger);
      tracks.remove(younger.id);
      pendingChanges.add(new TrackChange(younger.id, TrackStatus.LOST, ts, older.id));
      for (int i = 0; i < assigned.length; i++) {
        if (younger.id.equals(assigned[i])) {
          assigned[i] = older.id;
        }
      }
    }
  }

  private PairState pair(MutableTrack a, MutableTrack b) {
    return pairs.computeIfAbsent(pairKey(a, b), k -> new PairState());
  }

  private static long pairKey(MutableTrack a, MutableTrack b) {
    long low = Math.min(a.number, b.number);
    long high = Math.max(a.number, b.number);
    return (low << 32) ^ high;
  }

  @Override
  public int snapshotVersion() {
    return 1;
  }

  /**
   * Every track (filter, history, clothing colour), each camera's noise, pairs of tracks and changes not yet
   * reported. Appearance of a biometric kind is left out: a restored track learns it again.
   */
  @Override
  public ByteString exportState(SnapshotSeal seal) {
    KalmanTrackerState.Builder state = KalmanTrackerState.newBuilder()
        .setLookSpreadVariance(lookSpread.variance)
        .setLookSpreadSamples(lookSpread.samples)
        .setNextNumber(nextNumber);
    for (MutableTrack track : tracks.values()) {
      TrackState.Builder kept = TrackState.newBuilder()
          .setId(track.id.value())
          .setNumber(track.number)
          .setBorn(TrackPointStates.state(track.born))
          .setStatus(track.status.name())
          .setX(track.x).setY(track.y).setVx(track.vx).setVy(track.vy)
          .setPp(track.pp).setPv(track.pv).setVv(track.vv)
          .setNoiseVariance(track.noiseVariance)
          .setLastSeen(track.lastSeen)
          .setHits(track.hits);
      track.history.forEach(p -> kept.addHistory(TrackPointStates.state(p)));
      track.appearance.forEach((kind, values) -> {
        if (DataCategory.ofCameraFeatures(kind).modality() == null) {
          kept.addAppearance(AppearanceState.newBuilder().setKind(kind.name())
              .addAllValues(Arrays.stream(values).boxed().toList()));
        }
      });
      double[] look = track.look;
      if (look != null) {
        kept.setHasLook(true).addAllLook(Arrays.stream(look).boxed().toList());
      }
      state.addTracks(kept);
    }
    noise.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(CameraId::value)))
        .forEach(e -> state.addNoise(CameraNoise.newBuilder().setCamera(e.getKey().value())
            .setVariance(e.getValue().variance).setSamples(e.getValue().samples)));
    pairs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> state.addPairs(
        TrackPairState.newBuilder().setKey(e.getKey()).setLastTogether(e.getValue().lastTogether)
            .setLastClose(e.getValue().lastClose).setCloseUpdates(e.getValue().closeUpdates)));
    for (TrackChange change : pendingChanges) {
      TrackChangeState.Builder kept = TrackChangeState.newBuilder().setTrack(change.track().value())
          .setStatus(change.status().name()).setTs(change.ts());
      TrackId merged = change.mergedInto();
      if (merged != null) {
        kept.setMergedInto(merged.value());
      }
      state.addPendingChanges(kept);
    }
    return state.build().toByteString();
  }

  @Override
  public void restoreState(int version, ByteString state, SnapshotSeal seal) {
    if (version != 1) {
      throw new IllegalArgumentException("tracker state version " + version + " is unknown to this release");
    }
    Map<TrackId, MutableTrack> restored = new LinkedHashMap<>();
    Map<CameraId, NoiseEstimate> restoredNoise = new HashMap<>();
    Map<Long, PairState> restoredPairs = new HashMap<>();
    List<TrackChange> changes = new ArrayList<>();
    KalmanTrackerState kept;
    try {
      kept = KalmanTrackerState.parseFrom(state);
      for (TrackState t : kept.getTracksList()) {
        MutableTrack track = new MutableTrack(TrackId.of(t.getId()), t.getNumber(),
            TrackPointStates.point(t.getBorn()));
        t.getHistoryList().forEach(p -> track.history.add(TrackPointStates.point(p)));
        for (AppearanceState a : t.getAppearanceList()) {
          track.appearance.put(FeatureKind.valueOf(a.getKind()),
              a.getValuesList().stream().mapToDouble(Double::doubleValue).toArray());
        }
        track.look = t.getHasLook() ? t.getLookList().stream().mapToDouble(Double::doubleValue).toArray() : null;
        track.status = TrackStatus.valueOf(t.getStatus());
        track.x = t.getX();
        track.y = t.getY();
        track.vx = t.getVx();
        track.vy = t.getVy();
        track.pp = t.getPp();
        track.pv = t.getPv();
        track.vv = t.getVv();
        track.noiseVariance = t.getNoiseVariance();
        track.lastSeen = t.getLastSeen();
        track.hits = t.getHits();
        restored.put(track.id, track);
      }
      for (CameraNoise n : kept.getNoiseList()) {
        NoiseEstimate estimate = new NoiseEstimate(n.getVariance());
        estimate.samples = n.getSamples();
        restoredNoise.put(CameraId.of(n.getCamera()), estimate);
      }
      for (TrackPairState p : kept.getPairsList()) {
        PairState pair = new PairState();
        pair.lastTogether = p.getLastTogether();
        pair.lastClose = p.getLastClose();
        pair.closeUpdates = p.getCloseUpdates();
        restoredPairs.put(p.getKey(), pair);
      }
      for (TrackChangeState c : kept.getPendingChangesList()) {
        changes.add(new TrackChange(TrackId.of(c.getTrack()), TrackStatus.valueOf(c.getStatus()), c.getTs(),
            c.getMergedInto().isEmpty() ? null : TrackId.of(c.getMergedInto())));
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("the tracker's state cannot be read: " + e.getMessage(), e);
    }
    tracks.clear();
    tracks.putAll(restored);
    noise.clear();
    noise.putAll(restoredNoise);
    pairs.clear();
    pairs.putAll(restoredPairs);
    for (MutableTrack a : tracks.values()) {
      for (MutableTrack b : tracks.values()) {
        PairState pair = a == b ? null : pairs.get(pairKey(a, b));
        if (pair != null && pair.closeUpdates > 0) {
          a.closePairs++;
        }
      }
    }
    pendingChanges.clear();
    pendingChanges.addAll(changes);
    lookSpread.variance = kept.getLookSpreadVariance();
    lookSpread.samples = kept.getLookSpreadSamples();
    nextNumber = kept.getNextNumber();
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
      track.look = null;
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
    pairs.values().removeIf(p -> Math.max(p.lastClose, p.lastTogether) < ts - DISTINCT_MEMORY_MILLIS);
    return changes;
  }

  @Override
  public void markExited(TrackId id, long ts) {
    MutableTrack track = tracks.get(id);
    if (track != null && track.status != TrackStatus.EXITED) {
      track.status = TrackStatus.EXITED;
      track.appearance.clear();
      track.look = null;
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

  /** A running estimate of one camera's measurement noise (variance per axis). */
  private static final class NoiseEstimate {
    /** Samples that weigh as much as the prior; later the estimate follows about the last {@code WINDOW}. */
    private static final int PRIOR = 20;
    private static final int WINDOW = 500;
    /**
     * A residual's half squared length over the estimate is exponentially distributed for normal noise; about one in
     * three million exceeds 15, so clipping there cuts only gross outliers. Real detectors' errors have heavy tails
     * that the gates must allow for: clipping at 4.6 (one in a hundred) put the estimate on a public pedestrian
     * sequence at 0.39 m instead of 0.51 m, and the narrower gates cost it identity (IDF1 0.457 to 0.423, 57 to 81
     * switches; the simulated stores' tracking was no better for it either).
     */
    private static final double CLIP = 15;
    double variance;
    int samples;

    NoiseEstimate(double variance) {
      this.variance = variance;
    }

    /**
     * One residual's variance beyond the prediction's own; kept above a hundredth of the prior's and below
     * {@link #CLIP} times the current estimate, so that a detection that was not the person (a false detection in
     * the gate, a neighbour) cannot inflate the noise, which would widen every gate and let more such detections in.
     */
    void add(double sample, double priorSd) {
      double floor = priorSd * priorSd / 100;
      samples++;
      double clipped = Math.min(Math.max(floor, sample), CLIP * variance);
      variance += (clipped - variance) / Math.min(PRIOR + samples, WINDOW);
    }
  }

  /** What is known about two confirmed tracks: when a camera last saw both at once, when they last ran close. */
  private static final class PairState {
    long lastTogether = Long.MIN_VALUE;
    long lastClose = Long.MIN_VALUE;
    int closeUpdates;
  }

  /** A track as the tracker updates it; exposed read-only through {@link Track}. */
  private static final class MutableTrack implements Track {
    final TrackId id;
    final long number;
    final TrackPoint born;
    final ArrayDeque<TrackPoint> history = new ArrayDeque<>();
    /**
     * At least how many pairs of this track with another track of the tracker count close updates: while it is
     * zero, none of them has any to reset.
     */
    int closePairs;
    final EnumMap<FeatureKind, double[]> appearance = new EnumMap<>(FeatureKind.class);
    /** Running mean of the unit-length features of the detections given to this track, if they had any. */
    double @Nullable [] look;
    TrackStatus status = TrackStatus.TENTATIVE;
    /** State at {@link #lastSeen}: position, velocity, and the per-axis covariance of position and velocity. */
    double x;
    double y;
    double vx;
    double vy;
    double pp;
    double pv;
    double vv;
    /** The measurement noise (variance per axis) of the camera that saw the track last. */
    double noiseVariance;
    long lastSeen;
    int hits;

    /** Squared distance between this track's look and unit-length features, or NaN if either is missing. */
    double lookDistance2(double @Nullable [] other) {
      double[] mine = look;
      if (mine == null || other == null || mine.length != other.length) {
        return Double.NaN;
      }
      double sum = 0;
      for (int i = 0; i < mine.length; i++) {
        double d = mine[i] - other[i];
        sum += d * d;
      }
      return sum;
    }

    /** Moves the look towards a detection's unit-length view (taken over as the look if there is none yet). */
    void see(double @Nullable [] view) {
      if (view == null) {
        return;
      }
      double[] mine = look;
      if (mine == null || mine.length != view.length) {
        look = view;
        return;
      }
      double norm = 0;
      for (int i = 0; i < mine.length; i++) {
        mine[i] += LOOK_RATE * (view[i] - mine[i]);
        norm += mine[i] * mine[i];
      }
      double length = Math.sqrt(norm);
      for (int i = 0; i < mine.length; i++) {
        mine[i] /= length;
      }
    }

    /** A track as a snapshot kept it: its state is set by the caller, its history is empty. */
    MutableTrack(TrackId id, long number, TrackPoint born) {
      this.id = id;
      this.number = number;
      this.born = born;
    }

    MutableTrack(TrackId id, long number, long ts, PersonObservation first, double noiseVariance) {
      this.id = id;
      this.number = number;
      this.born = new TrackPoint(ts, first.position(), first.hands());
      this.x = first.position().x();
      this.y = first.position().y();
      this.noiseVariance = noiseVariance;
      this.pp = noiseVariance;
      this.vv = INITIAL_SPEED_SD * INITIAL_SPEED_SD;
      this.lastSeen = ts;
      this.hits = 1;
      history.add(born);
      see(view(first));
    }

    private double extrapolation(long ts) {
      return Math.min(MAX_EXTRAPOLATION_SECONDS, Math.max(0, ts - lastSeen) / 1000.0);
    }

    Position predict(long ts) {
      double dt = extrapolation(ts);
      return new Position(x + vx * dt, y + vy * dt);
    }

    /** Variance of the predicted position on each axis, without measurement noise. */
    double predictedPositionVariance(long ts) {
      double dt = Math.max(0, ts - lastSeen) / 1000.0;
      double q = ACCELERATION_DENSITY;
      return pp + 2 * dt * pv + dt * dt * vv + q * dt * dt * dt / 3;
    }

    /** Squared Mahalanobis distance of a detection with measurement variance {@code r} from the prediction. */
    double mahalanobis2(long ts, Position observed, double r) {
      double distance = predict(ts).distanceTo(observed);
      return distance * distance / (predictedPositionVariance(ts) + r);
    }

    /** The log-variance part of a detection's negative log-likelihood, relative to the measurement noise alone. */
    double logVarianceCost(long ts, double r) {
      return 2 * Math.log((predictedPositionVariance(ts) + r) / r);
    }

    /**
     * Updates the filter with a detection of measurement variance {@code r}.
     *
     * @return the detection's residual variance beyond the prediction's own (a sample of the camera's noise), or
     *     NaN when the track had been unseen too long to predict
     */
    double observe(long ts, Position observed, List<Point3> hands, double r, double outlierWeight) {
      double dt = Math.max(0, ts - lastSeen) / 1000.0;
      double sample = Double.NaN;
      noiseVariance = r;
      if (dt > MAX_EXTRAPOLATION_SECONDS) {
        // Long unseen: where they went is unknown; restart the motion model from here.
        x = observed.x();
        y = observed.y();
        vx = 0;
        vy = 0;
        pp = r;
        pv = 0;
        vv = INITIAL_SPEED_SD * INITIAL_SPEED_SD;
      } else {
        double q = ACCELERATION_DENSITY;
        double ppPredicted = pp + 2 * dt * pv + dt * dt * vv + q * dt * dt * dt / 3;
        double pvPredicted = pv + dt * vv + q * dt * dt / 2;
        double vvPredicted = vv + q * dt;
        double px = x + vx * dt;
        double py = y + vy * dt;
        double s = ppPredicted + r * outlierWeight;
        double kp = ppPredicted / s;
        double kv = pvPredicted / s;
        double rx = observed.x() - px;
        double ry = observed.y() - py;
        sample = (rx * rx + ry * ry) / 2 - ppPredicted;
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
      return sample;
    }

    /** Takes over a newer track of the same person: its state, hits and history. */
    void absorb(MutableTrack newer) {
      history.addAll(newer.history);
      takeStateOf(newer);
      hits += newer.hits;
      status = TrackStatus.CONFIRMED;
      if (newer.look != null) {
        look = newer.look;
      }
    }

    /**
     * Takes in a track of the same person that ran beside this one: the histories interleaved by time, the state
     * of whichever was seen last, the appearance it lacks.
     */
    void merge(MutableTrack other) {
      List<TrackPoint> points = new ArrayList<>(history.size() + other.history.size());
      points.addAll(history);
      points.addAll(other.history);
      points.sort(Comparator.comparingLong(TrackPoint::ts));
      history.clear();
      history.addAll(points);
      if (other.lastSeen > lastSeen) {
        takeStateOf(other);
      }
      hits += other.hits;
      other.appearance.forEach(appearance::putIfAbsent);
      if (look == null) {
        look = other.look;
      }
    }

    /** The filter's state (position, velocity, covariance, noise estimate) and last sighting of {@code other}. */
    private void takeStateOf(MutableTrack other) {
      x = other.x;
      y = other.y;
      vx = other.vx;
      vy = other.vy;
      pp = other.pp;
      pv = other.pv;
      vv = other.vv;
      noiseVariance = other.noiseVariance;
      lastSeen = other.lastSeen;
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
    public OptionalDouble positionNoiseMetres() {
      return OptionalDouble.of(Math.sqrt(noiseVariance));
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
