package dev.jwo.vision.linking;

import dev.jwo.core.TrackId;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Remembers when tracks of different visits came so close that the tracker could have swapped them: from then on,
 * which visit each of those tracks belongs to is in doubt. Detections carry no identity, and with body positions
 * as noisy as the store log format allows, two people passing within a few tenths of a metre cannot be told apart
 * by position alone. Deterministic; called from the pipeline thread.
 */
public final class IdentityConfusion {
  private final double confusionMetres;
  private final Map<TrackId, Long> doubtfulSince = new HashMap<>();

  /** @param confusionMetres tracks of different visits closer than this may have swapped */
  public IdentityConfusion(double confusionMetres) {
    if (!(confusionMetres > 0)) {
      throw new IllegalArgumentException("the confusion distance must be positive");
    }
    this.confusionMetres = confusionMetres;
  }

  /** Looks at the confirmed tracks at {@code ts} and records the pairs of different visits that are too close. */
  public void observe(Collection<Track> tracks, Function<TrackId, Optional<Admission>> visitOf, long ts) {
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
    for (int i = 0; i < linked.size(); i++) {
      for (int j = i + 1; j < linked.size(); j++) {
        if (!visits.get(i).equals(visits.get(j))
            && linked.get(i).position().distanceTo(linked.get(j).position()) < confusionMetres) {
          doubtfulSince.putIfAbsent(linked.get(i).id(), ts);
          doubtfulSince.putIfAbsent(linked.get(j).id(), ts);
        }
      }
    }
  }

  /** A track that continues {@code previous} inherits its doubt. */
  public void continued(TrackId previous, TrackId track) {
    Long since = doubtfulSince.get(previous);
    if (since != null) {
      doubtfulSince.merge(track, since, Math::min);
    }
  }

  /** Whether the track's visit is in doubt at {@code ts}. */
  public boolean inDoubt(TrackId track, long ts) {
    Long since = doubtfulSince.get(track);
    return since != null && since <= ts;
  }

  /** Forgets tracks that no longer matter. */
  public void forget(TrackId track) {
    doubtfulSince.remove(track);
  }
}
