package dev.jwo.vision.linking;

import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Remembers when tracks of different visits came so close that the tracker could have swapped them: from then on,
 * which visit each of those tracks belongs to is in doubt. Detections carry no identity, and with body positions
 * as noisy as the store log format allows, two people passing within a few tenths of a metre cannot be told apart
 * by position alone. Deterministic; called from the pipeline thread.
 *
 * <p>The doubt can be cleared by appearance. Each track keeps the mean clothing colour seen while its identity was
 * trusted (its reference) and the mean seen since its last close encounter (its recent appearance). Once a track
 * is clear of everyone again and has been seen enough times, its recent colours are compared with its own reference
 * and with the reference each other track had when they met: if they clearly match its own and clearly differ from
 * every other, the track was not swapped and its doubt is cleared, for the whole encounter. Without colours (cameras
 * that send none, or an appearance that is forgotten) or when the colours are ambiguous, the doubt stays. Only the
 * clothing colour, which is not biometric, is ever given to this class: face features are never used for identity.
 */
public final class IdentityConfusion {
  /** Colour samples needed after an encounter before the recent appearance is compared. */
  static final int MIN_SAMPLES = 5;
  /** The recent colours must be at least this similar (cosine) to the track's own reference. */
  static final double SAME_PERSON = 0.9;
  /** ... and at least this much more similar to its own reference than to any other track's it met. */
  static final double MARGIN = 0.1;

  private final double confusionMetres;
  private final Map<TrackId, State> states = new HashMap<>();

  /** @param confusionMetres tracks of different visits closer than this may have swapped */
  public IdentityConfusion(double confusionMetres) {
    if (!(confusionMetres > 0)) {
      throw new IllegalArgumentException("the confusion distance must be positive");
    }
    this.confusionMetres = confusionMetres;
  }

  /**
   * Looks at the confirmed tracks at {@code ts}, records the pairs of different visits that are too close, and
   * clears the doubt of the tracks whose colours since show they kept their identity.
   */
  public List<Swap> observe(Collection<Track> tracks, Function<TrackId, Optional<Admission>> visitOf, long ts) {
    List<Track> linked = new ArrayList<>();
    List<Admission> visits = new ArrayList<>();
    for (Track track : tracks) {
      if (track.status() != TrackStatus.CONFIRMED) {
        continue;
      }
      Optional<Admission> visit = visitOf.apply(track.id());
      if (visit.isPresent()) {
        linked.add(track);
        visits.add(visit.get());
      }
    }
    Set<TrackId> inContact = new HashSet<>();
    for (int i = 0; i < linked.size(); i++) {
      for (int j = i + 1; j < linked.size(); j++) {
        if (!visits.get(i).equals(visits.get(j))
            && linked.get(i).position().distanceTo(linked.get(j).position()) < confusionMetres) {
          State a = state(linked.get(i).id());
          State b = state(linked.get(j).id());
          a.met(linked.get(j).id(), b.reference(), ts);
          b.met(linked.get(i).id(), a.reference(), ts);
          inContact.add(linked.get(i).id());
          inContact.add(linked.get(j).id());
        }
      }
    }
    for (Track track : linked) {
      State state = states.get(track.id());
      if (state != null && state.doubtfulSince != null && !inContact.contains(track.id())) {
        state.tryToClear();
      }
    }
    List<Swap> swaps = new ArrayList<>();
    for (Track track : linked) {
      State a = states.get(track.id());
      if (a == null || a.looksLike == null || a.doubtfulSince == null) {
        continue;
      }
      TrackId other = a.looksLike;
      State b = states.get(other);
      if (b != null && track.id().equals(b.looksLike) && b.doubtfulSince != null
          && track.id().compareTo(other) < 0) {
        // Each looks like the other did before they met: the tracker swapped them. Undo it.
        Mean reference = new Mean();
        reference.add(a.reference);
        a.reference.clear();
        a.reference.add(b.reference);
        b.reference.clear();
        b.reference.add(reference);
        a.resolved();
        b.resolved();
        swaps.add(new Swap(track.id(), other, ts));
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
      java.util.Objects.requireNonNull(first, "first");
      java.util.Objects.requireNonNull(second, "second");
    }
  }

  /**
   * A clothing-colour histogram seen on a track (a feature the compliance guard allowed). Never pass biometric
   * features here.
   */
  public void clothingColour(TrackId track, FeatureVector colour, long ts) {
    state(track).add(colour.toArray());
  }

  /** A track that continues {@code previous} inherits its doubt and its colours. */
  public void continued(TrackId previous, TrackId track) {
    State from = states.get(previous);
    if (from == null) {
      return;
    }
    State to = state(track);
    to.inherit(from);
  }

  /** Whether the track's visit is in doubt at {@code ts}. */
  public boolean inDoubt(TrackId track, long ts) {
    State state = states.get(track);
    return state != null && state.doubtfulSince != null && state.doubtfulSince <= ts;
  }

  /** When the track's current doubt began, if it is in doubt. */
  public OptionalLong doubtfulSince(TrackId track) {
    State state = states.get(track);
    Long since = state == null ? null : state.doubtfulSince;
    return since == null ? OptionalLong.empty() : OptionalLong.of(since);
  }

  /** The tracks of other visits the track came close to since its doubt began. */
  public Set<TrackId> metSinceDoubt(TrackId track) {
    State state = states.get(track);
    return state == null ? Set.of() : Set.copyOf(state.met.keySet());
  }

  /** Forgets tracks that no longer matter. */
  public void forget(TrackId track) {
    states.remove(track);
  }

  private State state(TrackId track) {
    return states.computeIfAbsent(track, id -> new State());
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

    @Nullable FeatureVector value() {
      return sum == null || count == 0 ? null : FeatureVector.of(sum.clone());
    }

    void clear() {
      sum = null;
      count = 0;
    }
  }

  private static final class State {
    /** Colours seen while the identity was trusted. */
    final Mean reference = new Mean();
    /** Colours seen since the last close encounter, while in doubt. */
    final Mean recent = new Mean();
    /** The tracks met since the doubt began, each with its reference colours when they met (if it had any). */
    final Map<TrackId, @Nullable FeatureVector> met = new LinkedHashMap<>();
    @Nullable Long doubtfulSince;
    /** The track met since the doubt began whose earlier colours these recent ones clearly match, if any. */
    @Nullable TrackId looksLike;

    @Nullable FeatureVector reference() {
      return reference.value();
    }

    void met(TrackId other, @Nullable FeatureVector otherReference, long ts) {
      if (doubtfulSince == null) {
        doubtfulSince = ts;
      }
      if (!met.containsKey(other) || (met.get(other) == null && otherReference != null)) {
        met.put(other, otherReference);
      }
      recent.clear();
      looksLike = null;
    }

    void add(double[] colour) {
      if (doubtfulSince == null) {
        reference.add(colour);
      } else {
        recent.add(colour);
      }
    }

    void inherit(State from) {
      if (from.doubtfulSince == null) {
        reference.add(from.reference);
        return;
      }
      // The lost track was in doubt: what the new track has seen is evidence after the encounter, not reference.
      if (doubtfulSince == null) {
        recent.add(reference);
        reference.clear();
      }
      reference.add(from.reference);
      doubtfulSince = doubtfulSince == null ? from.doubtfulSince : Math.min(doubtfulSince, from.doubtfulSince);
      from.met.forEach(met::putIfAbsent);
    }

    /** Clears the doubt when the colours since the last encounter clearly say this is the same person as before. */
    void tryToClear() {
      FeatureVector own = reference.value();
      FeatureVector now = recent.value();
      if (own == null || now == null || recent.count < MIN_SAMPLES) {
        return;
      }
      double self = now.cosineSimilarity(own);
      if (self < SAME_PERSON) {
        looksLike = otherMatching(now, self);
        return;
      }
      for (FeatureVector other : met.values()) {
        if (other == null || self - now.cosineSimilarity(other) < MARGIN) {
          return;
        }
      }
      resolved();
    }

    /** The one track met whose reference the recent colours clearly match, better than their own by the margin. */
    @Nullable TrackId otherMatching(FeatureVector now, double self) {
      TrackId match = null;
      double best = -1;
      double second = -1;
      for (Map.Entry<TrackId, @Nullable FeatureVector> e : met.entrySet()) {
        FeatureVector other = e.getValue();
        if (other == null) {
          return null;
        }
        double similarity = now.cosineSimilarity(other);
        if (similarity > best) {
          second = best;
          best = similarity;
          match = e.getKey();
        } else if (similarity > second) {
          second = similarity;
        }
      }
      return best >= SAME_PERSON && best - self >= MARGIN && best - second >= MARGIN ? match : null;
    }

    /** The identity is trusted again: what was seen since the encounter becomes part of the reference. */
    void resolved() {
      doubtfulSince = null;
      looksLike = null;
      met.clear();
      reference.add(recent);
      recent.clear();
    }
  }
}
