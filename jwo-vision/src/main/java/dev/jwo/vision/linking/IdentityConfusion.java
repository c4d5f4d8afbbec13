package dev.jwo.vision.linking;

import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackStatus;
import dev.jwo.vision.v1.BeliefSegment;
import dev.jwo.vision.v1.ColourMean;
import dev.jwo.vision.v1.IdentityState;
import dev.jwo.vision.v1.TrackBelief;
import dev.jwo.vision.v1.TrackColours;
import dev.jwo.vision.v1.VisitColours;
import dev.jwo.vision.v1.VisitProbability;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Which visit each tracked person belongs to, as a probability per visit rather than a flag. Detections carry no
 * identity: where two people of different visits come close, the tracker may have swapped them, and how likely that
 * is depends on how close they came against the position noise and on how differently they were moving.
 * Deterministic; called from the pipeline thread.
 *
 * <p>Each track holds a belief: a probability per visit, starting certain of the visit the track was linked to.
 * Whenever two tracks of different visits are near each other, their beliefs are mixed: with the probability
 * {@code s} that the tracker exchanged them in that instant, each takes on the other's belief. {@code s} is the
 * chance that the detections' noise makes the exchanged assignment the cheaper one, {@code Φ(-d / (√2 σ))}, where
 * {@code d} is their separation and {@code σ} their position noise (per detection, not per filtered estimate:
 * trackers swap people more readily than their estimates' spread suggests), once per
 * {@link #DECORRELATION_MILLIS} of contact rather than once per frame: people a metre apart are never confused,
 * people passing through each other are, people standing shoulder to shoulder slowly, and over a long close
 * contact the belief tends to even odds.
 *
 * <p>Clothing colour is evidence. Every visit keeps the colours its members wore while their identity was certain;
 * the colours a track shows after its last mixing reweigh its belief by how similar they are to each visit's
 * ({@code exp(κ cos)}), so a track that keeps its colours is soon certain again and a track wearing another
 * visit's colours is taken for that visit. Two tracks each clearly taken for the other's visit were swapped by the
 * tracker and are exchanged back ({@link Swap}). Only clothing colour, which is not biometric, is ever given to
 * this class: face features are never used for identity.
 *
 * <p>The belief is kept as segments in time (a new one at each mixing), so that a question about an earlier moment
 * is answered with what was known of that moment, including colours seen later in the same segment.
 */
public final class IdentityConfusion {
  /** A belief at least this sure of the track's own visit is no doubt. */
  public static final double SURE = 0.999;
  /** A track's colours count as its visit's while its belief in that visit is at least this. */
  static final double REFERENCE_BELIEF = 0.9;
  /** Colour samples needed since the last mixing before colours weigh in. */
  static final int MIN_SAMPLES = 5;
  /** How sharply colour similarity separates visits: log-odds per unit of cosine similarity. */
  static final double COLOUR_SHARPNESS = 30;
  /** A track is taken for another visit (and may be swapped back) when its belief in it reaches this. */
  static final double TAKEN_FOR = 0.9;
  /** The position noise assumed for tracks whose tracker does not say, metres per axis. */
  static final double DEFAULT_NOISE_METRES = 0.1;
  /** No track's positions are taken as less noisy than this, metres per axis. */
  static final double MIN_NOISE_METRES = 0.02;
  /**
   * About how long the tracker's assignments of two people near each other stay correlated: its estimates smooth
   * over several frames, so it gets a fresh chance to exchange them about once per this much time, not per frame.
   */
  static final long DECORRELATION_MILLIS = 1_000;
  /** Mixing below this probability is ignored. */
  private static final double NEGLIGIBLE = 1e-5;
  /** Visits less likely than this are left out of a belief. */
  private static final double DROPPED = 1e-4;
  /**
   * The weight, on the scale of {@link PartyLinker.Continued#candidates()}, of the chance that a continued track is
   * someone none of the lost tracks followed: a shopper lost a moment ago a step away weighs about 2 and is hardly
   * doubted; one lost a minute ago anywhere in the store weighs about 0.003 and is in doubt.
   */
  static final double SOMEONE_ELSE_WEIGHT = 1e-3;
  /** Segments kept per track (about two minutes of continuous contact), the oldest dropped first. */
  private static final int MAX_SEGMENTS = 1_200;

  private final double confusionMetres;
  private long lastLook = Long.MIN_VALUE;
  private final Map<TrackId, State> states = new HashMap<>();
  /** The colours each visit's members wore while certain of their identity, per track. */
  private final Map<VisitId, Map<TrackId, Mean>> references = new HashMap<>();

  /** @param confusionMetres tracks of different visits farther apart than this are never confused */
  public IdentityConfusion(double confusionMetres) {
    if (!(confusionMetres > 0)) {
      throw new IllegalArgumentException("the confusion distance must be positive");
    }
    this.confusionMetres = confusionMetres;
  }

  /**
   * Looks at the confirmed tracks at {@code ts}: starts a belief for newly linked tracks, mixes the beliefs of
   * tracks of different visits that are near each other, and returns the pairs whose colours show the tracker
   * swapped them (to be exchanged back by the caller).
   */
  public List<Swap> observe(Collection<Track> tracks, Function<TrackId, Optional<Admission>> visitOf, long ts) {
    long sinceLastLook = lastLook == Long.MIN_VALUE ? DECORRELATION_MILLIS : Math.max(0, ts - lastLook);
    lastLook = ts;
    List<Track> linked = new ArrayList<>();
    List<VisitId> visits = new ArrayList<>();
    for (Track track : tracks) {
      if (track.status() != TrackStatus.CONFIRMED) {
        continue;
      }
      Optional<Admission> visit = visitOf.apply(track.id());
      if (visit.isPresent()) {
        linked.add(track);
        visits.add(visit.get().visitId());
        state(track.id(), visit.get().visitId(), ts);
      }
    }
    for (int i = 0; i < linked.size(); i++) {
      for (int j = i + 1; j < linked.size(); j++) {
        if (visits.get(i).equals(visits.get(j))) {
          continue;
        }
        Track a = linked.get(i);
        Track b = linked.get(j);
        if (a.position().distanceTo(b.position()) >= confusionMetres) {
          continue;
        }
        double s = exchangeProbability(a, b, sinceLastLook);
        if (s >= NEGLIGIBLE) {
          mix(Objects.requireNonNull(states.get(a.id())), a.id(), Objects.requireNonNull(states.get(b.id())), b.id(),
              s, ts);
        }
      }
    }
    for (Track track : linked) {
      Objects.requireNonNull(states.get(track.id())).settleDoubt();
    }
    return swaps(ts);
  }

  /**
   * The probability that the tracker exchanged the two people during the {@code millis} before this look. One
   * chance to exchange them has {@code s = Φ(-d / (√2 σ))}: only their separation counts, not how differently they
   * were moving, since trackers swap people who cross paths too (measured on the simulator's quiet preset, where
   * counting half a second of relative motion let real swaps through as near-certain). The tracker's estimates
   * carry over from frame to frame, so it gets about one such chance per {@link #DECORRELATION_MILLIS}, not one per
   * frame: mixing {@code n} times with {@code s} exchanges them with {@code (1 - (1 - 2s)^n) / 2}, here with
   * {@code n = millis / DECORRELATION_MILLIS} (at most 1).
   */
  static double exchangeProbability(Track a, Track b, long millis) {
    double s = normalTail(a.position().distanceTo(b.position()) / Math.hypot(noise(a), noise(b)));
    double chances = Math.min(1.0, millis / (double) DECORRELATION_MILLIS);
    return (1 - Math.pow(1 - 2 * s, chances)) / 2;
  }

  private static double noise(Track track) {
    return Math.max(MIN_NOISE_METRES, track.positionNoiseMetres().orElse(DEFAULT_NOISE_METRES));
  }

  /** P(Z > z) for a standard normal Z, to about 1e-7 (Abramowitz and Stegun 7.1.26 on the error function). */
  static double normalTail(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
        + t * 1.061405429)))) * Math.exp(-x * x);
    return z >= 0 ? erfc / 2 : 1 - erfc / 2;
  }

  private void mix(State a, TrackId aId, State b, TrackId bId, double s, long ts) {
    Map<VisitId, Double> pa = posterior(a.current());
    Map<VisitId, Double> pb = posterior(b.current());
    a.startSegment(blend(pa, pb, s), ts);
    b.startSegment(blend(pb, pa, s), ts);
    a.met(bId);
    b.met(aId);
  }

  private static Map<VisitId, Double> blend(Map<VisitId, Double> own, Map<VisitId, Double> other, double s) {
    Map<VisitId, Double> result = new TreeMap<>();
    own.forEach((v, p) -> result.merge(v, (1 - s) * p, Double::sum));
    other.forEach((v, p) -> result.merge(v, s * p, Double::sum));
    result.values().removeIf(p -> p < DROPPED);
    return result;
  }

  /** The segment's belief after the colours seen in it. */
  private Map<VisitId, Double> posterior(Segment segment) {
    FeatureVector seen = segment.colours.value();
    if (seen == null || segment.colours.count < MIN_SAMPLES || segment.prior.size() < 2) {
      return segment.prior;
    }
    Map<VisitId, Double> similarity = new TreeMap<>();
    double best = -1;
    for (VisitId visit : segment.prior.keySet()) {
      double s = -1;
      for (Mean reference : references.getOrDefault(visit, Map.of()).values()) {
        FeatureVector value = reference.value();
        if (value != null) {
          s = Math.max(s, seen.cosineSimilarity(value));
        }
      }
      if (s < 0) {
        return segment.prior; // a visit whose colours are unknown: colours cannot weigh the alternatives
      }
      similarity.put(visit, s);
      best = Math.max(best, s);
    }
    double total = 0;
    double weighted = 0;
    Map<VisitId, Double> result = new TreeMap<>();
    for (Map.Entry<VisitId, Double> e : segment.prior.entrySet()) {
      double w = e.getValue() * Math.exp(COLOUR_SHARPNESS * (similarity.getOrDefault(e.getKey(), best) - best));
      result.put(e.getKey(), w);
      total += e.getValue();
      weighted += w;
    }
    double scale = weighted > 0 ? total / weighted : 0;
    result.replaceAll((v, w) -> w * scale);
    result.values().removeIf(p -> p < DROPPED);
    return result;
  }

  /** Pairs of tracks each taken for the other's visit. */
  private List<Swap> swaps(long ts) {
    Map<TrackId, VisitId> takenFor = new TreeMap<>();
    for (Map.Entry<TrackId, State> e : states.entrySet()) {
      State state = e.getValue();
      if (state.label == null) {
        continue;
      }
      for (Map.Entry<VisitId, Double> belief : posterior(state.current()).entrySet()) {
        if (!belief.getKey().equals(state.label) && belief.getValue() >= TAKEN_FOR) {
          takenFor.put(e.getKey(), belief.getKey());
        }
      }
    }
    List<Swap> swaps = new ArrayList<>();
    for (Map.Entry<TrackId, VisitId> e : takenFor.entrySet()) {
      State a = states.get(e.getKey());
      for (Map.Entry<TrackId, VisitId> other : takenFor.entrySet()) {
        State b = states.get(other.getKey());
        if (e.getKey().compareTo(other.getKey()) < 0 && a != null && b != null
            && e.getValue().equals(b.label) && other.getValue().equals(a.label)) {
          VisitId label = a.label;
          a.label = b.label;
          b.label = label;
          swaps.add(new Swap(e.getKey(), other.getKey(), ts));
        }
      }
    }
    return swaps;
  }

  /**
   * Two tracks whose people the tracker swapped when they met, as their clothing colours since show: each now
   * follows the person the other followed before, so their visits must be exchanged.
   */
  public record Swap(TrackId first, TrackId second, long ts) {
    public Swap {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(second, "second");
    }
  }

  /**
   * A clothing-colour histogram seen on a track (a feature the compliance guard allowed). Never pass biometric
   * features here.
   */
  public void clothingColour(TrackId track, FeatureVector colour, long ts) {
    State state = states.get(track);
    if (state == null) {
      return;
    }
    double[] values = colour.toArray();
    Segment segment = state.current();
    segment.colours.add(values);
    VisitId label = state.label;
    // Colours count for the visit while the track has not been mixed, or while colours since say it is that visit's.
    if (label != null && (segment.prior.getOrDefault(label, 0.0) >= SURE
        || (segment.colours.count >= MIN_SAMPLES && posterior(segment).getOrDefault(label, 0.0) >= REFERENCE_BELIEF))) {
      references.computeIfAbsent(label, v -> new TreeMap<>()).computeIfAbsent(track, t -> new Mean()).add(values);
    }
  }

  /** A track that continues {@code previous} inherits its belief, its encounters and its colours. */
  public void continued(TrackId previous, TrackId track) {
    State from = states.get(previous);
    if (from == null) {
      return;
    }
    State to = new State(from.label);
    to.segments.addAll(from.segments);
    to.met.addAll(from.met);
    states.put(track, to);
    for (Map<TrackId, Mean> members : references.values()) {
      Mean colours = members.get(previous);
      if (colours != null) {
        members.computeIfAbsent(track, t -> new Mean()).add(colours);
      }
    }
  }

  /**
   * The new track {@code track} continues one of the lost tracks, each weighed by how plausibly its person
   * reappeared there ({@code candidates}, weights as {@link PartyLinker.Continued#candidates()} gives them): from
   * {@code ts} its belief is theirs, mixed by those weights, with the rest ({@link #SOMEONE_ELSE_WEIGHT}) for
   * nobody named. Call after {@link #continued} with the likeliest one.
   */
  public void continuedAmong(TrackId track, Map<TrackId, Double> candidates, long ts) {
    State state = states.get(track);
    if (state == null || candidates.isEmpty()) {
      return;
    }
    Map<VisitId, Double> mixed = new TreeMap<>();
    double known = 0;
    for (Map.Entry<TrackId, Double> candidate : new TreeMap<>(candidates).entrySet()) {
      State lost = states.get(candidate.getKey());
      if (lost == null) {
        continue;
      }
      known += candidate.getValue();
      posterior(lost.current()).forEach((v, p) -> mixed.merge(v, candidate.getValue() * p, Double::sum));
    }
    if (!(known > 0)) {
      return;
    }
    // Someone no lost shopper's track accounts for (one whose track another swallowed) may have reappeared too.
    double weight = known + SOMEONE_ELSE_WEIGHT;
    mixed.replaceAll((v, p) -> p / weight);
    mixed.values().removeIf(p -> p < DROPPED);
    double sure = mixed.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    if (mixed.size() > 1 || sure < SURE) {
      state.startSegment(mixed, ts);
      candidates.keySet().stream().filter(other -> !other.equals(track)).forEach(state::met);
    }
  }

  /**
   * How likely the person on {@code track} at {@code ts} belongs to each visit; empty when nothing is known of
   * the track (it was never linked), in which case its label is all there is.
   */
  public Map<VisitId, Double> visitsOf(TrackId track, long ts) {
    State state = states.get(track);
    return state == null ? Map.of() : posterior(state.at(ts));
  }

  /** Whether the track's visit is in doubt at {@code ts}: its belief in its own visit is below {@link #SURE}. */
  public boolean inDoubt(TrackId track, long ts) {
    State state = states.get(track);
    return state != null && state.label != null
        && posterior(state.at(ts)).getOrDefault(state.label, 0.0) < SURE;
  }

  /** When the track's current doubt began, if it is in doubt now. */
  public OptionalLong doubtfulSince(TrackId track) {
    State state = states.get(track);
    Long since = state == null ? null : state.doubtfulSince;
    return since == null ? OptionalLong.empty() : OptionalLong.of(since);
  }

  /** The tracks of other visits the track came close to since its doubt began. */
  public Set<TrackId> metSinceDoubt(TrackId track) {
    State state = states.get(track);
    return state == null ? Set.of() : Set.copyOf(state.met);
  }

  /** Forgets a track that no longer matters. */
  public void forget(TrackId track) {
    states.remove(track);
  }

  /** Forgets the colours of a visit that has ended. */
  public void visitEnded(VisitId visit) {
    references.remove(visit);
  }

  private State state(TrackId track, VisitId label, long ts) {
    State state = states.get(track);
    if (state == null) {
      state = new State(label);
      // Certain of its visit from the moment it was linked, however long before this first look.
      state.startSegment(Map.of(label, 1.0), Long.MIN_VALUE);
      states.put(track, state);
    } else if (!label.equals(state.label)) {
      // Linked anew by the party linker (not a swap this class undid): what it knew of the track was of another link.
      Map<VisitId, Double> belief = posterior(state.current());
      if (belief.getOrDefault(label, 0.0) < DROPPED) {
        state.startSegment(Map.of(label, 1.0), ts);
      }
      state.label = label;
    }
    return state;
  }

  /** The beliefs and the visits' colours, as a snapshot of the vision stage keeps them (in a fixed order). */
  public IdentityState export() {
    IdentityState.Builder state = IdentityState.newBuilder().setLastLook(lastLook);
    new TreeMap<>(states).forEach((track, s) -> {
      TrackBelief.Builder kept = TrackBelief.newBuilder().setTrack(track.value());
      VisitId label = s.label;
      if (label != null) {
        kept.setLabel(label.value());
      }
      Long since = s.doubtfulSince;
      if (since != null) {
        kept.setDoubtfulSince(since);
      }
      s.met.forEach(m -> kept.addMet(m.value()));
      for (Segment segment : s.segments) {
        BeliefSegment.Builder seg = BeliefSegment.newBuilder().setStart(segment.start)
            .setColours(segment.colours.export());
        new TreeMap<>(segment.prior).forEach((visit, p) -> seg.addPrior(
            VisitProbability.newBuilder().setVisit(visit.value()).setProbability(p)));
        kept.addSegments(seg);
      }
      state.addTracks(kept);
    });
    new TreeMap<>(references).forEach((visit, members) -> {
      VisitColours.Builder kept = VisitColours.newBuilder().setVisit(visit.value());
      new TreeMap<>(members).forEach((track, mean) -> kept.addMembers(
          TrackColours.newBuilder().setTrack(track.value()).setColours(mean.export())));
      state.addReferences(kept);
    });
    return state.build();
  }

  /**
   * Replaces the beliefs and colours by those {@linkplain #export exported}.
   *
   * @throws IllegalArgumentException if they cannot be read (an id or probability out of range)
   */
  public void restore(IdentityState kept) {
    Map<TrackId, State> restoredStates = new HashMap<>();
    Map<VisitId, Map<TrackId, Mean>> restoredReferences = new HashMap<>();
    for (TrackBelief t : kept.getTracksList()) {
      State state = new State(t.getLabel().isEmpty() ? null : VisitId.of(t.getLabel()));
      state.doubtfulSince = t.hasDoubtfulSince() ? t.getDoubtfulSince() : null;
      t.getMetList().forEach(m -> state.met.add(TrackId.of(m)));
      for (BeliefSegment seg : t.getSegmentsList()) {
        Map<VisitId, Double> prior = new TreeMap<>();
        seg.getPriorList().forEach(p -> prior.put(VisitId.of(p.getVisit()), p.getProbability()));
        Segment segment = new Segment(seg.getStart(), prior);
        segment.colours.restore(seg.getColours());
        state.segments.addLast(segment);
      }
      if (state.segments.isEmpty()) {
        throw new IllegalArgumentException("the belief of track " + t.getTrack() + " has no segment");
      }
      restoredStates.put(TrackId.of(t.getTrack()), state);
    }
    for (VisitColours v : kept.getReferencesList()) {
      Map<TrackId, Mean> members = new TreeMap<>();
      for (TrackColours m : v.getMembersList()) {
        Mean mean = new Mean();
        mean.restore(m.getColours());
        members.put(TrackId.of(m.getTrack()), mean);
      }
      restoredReferences.put(VisitId.of(v.getVisit()), members);
    }
    lastLook = kept.getLastLook();
    states.clear();
    states.putAll(restoredStates);
    references.clear();
    references.putAll(restoredReferences);
  }

  /** A stretch of a track's time between two mixings: the belief at its start and the colours seen since. */
  private static final class Segment {
    final long start;
    final Map<VisitId, Double> prior;
    final Mean colours = new Mean();

    Segment(long start, Map<VisitId, Double> prior) {
      this.start = start;
      this.prior = Map.copyOf(prior);
    }
  }

  private final class State {
    final ArrayDeque<Segment> segments = new ArrayDeque<>();
    /** The tracks of other visits mixed with since the doubt began. */
    final Set<TrackId> met = new LinkedHashSet<>();
    @Nullable VisitId label;
    @Nullable Long doubtfulSince;

    State(@Nullable VisitId label) {
      this.label = label;
    }

    Segment current() {
      return segments.getLast();
    }

    /** The segment {@code ts} falls in; the oldest kept for a time before it. */
    Segment at(long ts) {
      for (Iterator<Segment> newestFirst = segments.descendingIterator(); newestFirst.hasNext(); ) {
        Segment segment = newestFirst.next();
        if (segment.start <= ts) {
          return segment;
        }
      }
      return segments.getFirst();
    }

    void startSegment(Map<VisitId, Double> prior, long ts) {
      if (!segments.isEmpty() && current().start == ts) {
        segments.removeLast();
      }
      segments.addLast(new Segment(ts, prior));
      if (segments.size() > MAX_SEGMENTS) {
        segments.removeFirst();
      }
      if (doubtfulSince == null && label != null && prior.getOrDefault(label, 0.0) < SURE) {
        doubtfulSince = ts;
      }
    }

    void met(TrackId other) {
      met.add(other);
    }

    /** The doubt ends once the belief in the track's own visit is sure again. */
    void settleDoubt() {
      if (doubtfulSince != null && label != null
          && posterior(current()).getOrDefault(label, 0.0) >= SURE) {
        doubtfulSince = null;
        met.clear();
      }
    }
  }

  /** A running mean of colour histograms. */
  private static final class Mean {
    double @Nullable [] sum;
    int count;

    void add(double[] values) {
      if (sum == null || sum.length != values.length) {
        sum = values.clone();
        count = 1;
        return;
      }
      for (int i = 0; i < values.length; i++) {
        sum[i] += values[i];
      }
      count++;
    }

    void add(Mean other) {
      if (other.sum == null) {
        return;
      }
      if (sum == null || sum.length != other.sum.length) {
        sum = other.sum.clone();
        count = other.count;
        return;
      }
      for (int i = 0; i < sum.length; i++) {
        sum[i] += other.sum[i];
      }
      count += other.count;
    }

    ColourMean export() {
      ColourMean.Builder kept = ColourMean.newBuilder().setCount(count);
      double[] values = sum;
      if (values != null) {
        kept.setHasSum(true);
        for (double v : values) {
          kept.addSum(v);
        }
      }
      return kept.build();
    }

    void restore(ColourMean kept) {
      sum = kept.getHasSum() ? kept.getSumList().stream().mapToDouble(Double::doubleValue).toArray() : null;
      count = kept.getCount();
    }

    @Nullable FeatureVector value() {
      return sum == null || count == 0 ? null : FeatureVector.of(sum.clone());
    }
  }
}
