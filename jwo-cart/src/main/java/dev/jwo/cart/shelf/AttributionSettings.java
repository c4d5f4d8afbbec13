package dev.jwo.cart.shelf;

/**
 * Tuning of {@link HandEvidenceAttributor}. Metres and milliseconds.
 *
 * @param inBinSigmaMetres how far beyond a bin's front (past half its width) a hand seen in it may appear: the
 *     spread of a hand's position inside the bin and the camera's hand noise together
 * @param slotMillis sightings are counted once per track per slot of this length, whatever the number of cameras
 *     and hands that saw it then
 * @param coreMillis a hand in the bin within this long of the moment the load began to change counts in full; before
 *     and after, it counts {@code outsideCoreWeight}
 * @param outsideCoreWeight the weight of a slot outside the core of the change (reaching in, leaving)
 * @param evidenceScale log-odds per slot of a hand in the bin, for the first slots
 * @param saturationSlots the slots of evidence a track can gather at most: counted in full up to half of it, then
 *     approached gradually, because sightings of one hand in one bin in successive slots are not independent
 *     evidence; a hand in the bin for two seconds is not e^30 times likelier the taker than one in it for one
 *     second (where both hands were in the bin while the load changed, the taker was the other person in about
 *     one case in eight in simulated busy stores)
 * @param firstReachBonus log-odds for the track whose hand was first in the bin
 * @param unseenLogWeight log-odds that somebody the cameras did not see made the change (against none)
 * @param minReach a track whose hand never came nearer than this in-bin likelihood is no candidate
 * @param confidentProbability an attribution is called confident from this probability of its visit
 */
public record AttributionSettings(
    double inBinSigmaMetres,
    long slotMillis,
    long coreMillis,
    double outsideCoreWeight,
    double evidenceScale,
    double saturationSlots,
    double firstReachBonus,
    double unseenLogWeight,
    double minReach,
    double confidentProbability) {

  public static final AttributionSettings DEFAULTS =
      new AttributionSettings(0.08, 100, 400, 0.3, 3.0, 4.0, 0.5, 0.0, 0.1, 0.95);

  public AttributionSettings {
    if (!(inBinSigmaMetres > 0) || slotMillis <= 0 || coreMillis < 0 || !(evidenceScale > 0)
        || !(saturationSlots > 0)) {
      throw new IllegalArgumentException("spread, slot, core, scale and saturation must be positive");
    }
    if (!(outsideCoreWeight >= 0 && outsideCoreWeight <= 1) || !(minReach >= 0 && minReach < 1)
        || !(confidentProbability > 0.5 && confidentProbability <= 1)) {
      throw new IllegalArgumentException("weights and probabilities must be within [0, 1]");
    }
    if (!Double.isFinite(firstReachBonus) || !Double.isFinite(unseenLogWeight)) {
      throw new IllegalArgumentException("log-odds must be finite");
    }
  }
}
