package dev.jwo.core.visit;

import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Where shoppers' hands have been, as the tracker saw them. Implemented by person tracking and read by pick
 * attribution. Called from the pipeline thread only.
 */
public interface ShopperLocator {

  /**
   * Hands seen within {@code radiusMetres} of {@code point} between {@code fromTs} and {@code toTs}
   * (inclusive), in time order. The tracker keeps a bounded history; sightings older than it are gone.
   */
  List<HandSighting> handsNear(Point3 point, double radiusMetres, long fromTs, long toTs);

  /**
   * Whether, by {@code ts}, the person on {@code track} may have been confused with a shopper of another visit
   * (they came so close that their tracks could have swapped), so that the track's visit is in doubt from then
   * on. The default never doubts.
   */
  default boolean identityInDoubt(TrackId track, long ts) {
    return false;
  }

  /**
   * How likely the person on {@code track} at {@code ts} belongs to each visit, given that the track carried the
   * visit label {@code label} then (null: unlinked). The probabilities sum to at most 1; the rest is for nobody
   * admitted, or a visit the tracker cannot name. A tracker that keeps competing identity hypotheses answers with
   * them; the default trusts the label, or gives it {@value #DOUBTED_LABEL} while {@link #identityInDoubt} says the
   * track may have been swapped.
   */
  default Map<VisitId, Double> visitsOf(TrackId track, @Nullable VisitId label, long ts) {
    if (label == null) {
      return Map.of();
    }
    return Map.of(label, identityInDoubt(track, ts) ? DOUBTED_LABEL : 1.0);
  }

  /** The probability the default {@link #visitsOf} gives the label of a track that may have been swapped. */
  double DOUBTED_LABEL = 0.8;

  /**
   * The admission of the person whose tracked body is, by the tracker's latest estimate carried forward to
   * {@code ts}, nearest to {@code position} within {@code radiusMetres}, when that is clear: empty when nobody is
   * tracked there, when the nearest person belongs to no visit, or when someone of another visit (or of none) is
   * about as near. Asked before a camera's features are kept, to decide whose they are (the tracker has not yet
   * seen the frame). The default knows nobody.
   */
  default Optional<Admission> shopperAt(Position position, long ts, double radiusMetres) {
    return Optional.empty();
  }

  /**
   * How many live tracks carry {@code visit}'s label now: members whose track the tracker has lost (and not yet
   * continued), who left, or who were never seen coming in are not counted. Empty when the locator cannot tell,
   * which is the default.
   */
  default OptionalInt membersTracked(VisitId visit) {
    return OptionalInt.empty();
  }
}
