package dev.jwo.core.pipeline;

/**
 * Bounds on the values a sensor event may carry, checked for every event whatever its source (a gateway's stream,
 * a replayed store log, an admission from the shopper app). An event beyond them is rejected as
 * {@link RejectionReason#INVALID_VALUE} with the bound named, so that no single event can make the store do
 * unbounded work or hold unbounded state.
 *
 * @param maxPartySize the most people one entry scan may admit
 * @param maxPeoplePerFrame the most people one camera frame may report
 * @param maxFeatureDimension the most values a person's feature vector may have
 * @param floorMarginMetres how far beyond the floor's rectangle a body or hand may be seen (cameras see a little
 *     past the walls, e.g. into the entrance)
 * @param maxHandHeightMetres the highest a hand may be above the floor (hands may be reported slightly below it)
 * @param maxWeightGrams the largest load, in either direction, a load cell may report
 */
public record InputLimits(
    int maxPartySize,
    int maxPeoplePerFrame,
    int maxFeatureDimension,
    double floorMarginMetres,
    double maxHandHeightMetres,
    double maxWeightGrams) {

  /** A party of up to 12, 64 people per frame, 512 features, 5 m beyond the floor, hands up to 4 m, 1,000 kg. */
  public static final InputLimits DEFAULTS = new InputLimits(12, 64, 512, 5.0, 4.0, 1_000_000);

  public InputLimits {
    if (maxPartySize < 1 || maxPeoplePerFrame < 1 || maxFeatureDimension < 1) {
      throw new IllegalArgumentException("party size, people per frame and feature dimension limits must be positive");
    }
    if (!(floorMarginMetres >= 0) || !(maxHandHeightMetres > 0) || !(maxWeightGrams > 0)
        || Double.isInfinite(floorMarginMetres) || Double.isInfinite(maxHandHeightMetres)
        || Double.isInfinite(maxWeightGrams)) {
      throw new IllegalArgumentException("floor margin, hand height and weight limits must be finite and positive");
    }
  }

  /** The same limits with another bound on party size. */
  public InputLimits withMaxPartySize(int size) {
    return new InputLimits(size, maxPeoplePerFrame, maxFeatureDimension, floorMarginMetres, maxHandHeightMetres,
        maxWeightGrams);
  }
}
