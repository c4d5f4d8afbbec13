package dev.jwo.cart.shelf;

/**
 * Tuning of shelf-event detection, product resolution and attribution. Grams, milliseconds and metres.
 *
 * @param minChangeGrams the smallest load change that counts as a change (below it: noise or drift)
 * @param settleToleranceGrams readings within this spread count as settled
 * @param settleMillis how long the readings must stay within the tolerance
 * @param settleReadings how many readings at least must agree
 * @param holdMillis how much longer a settled load must stay as it is before the change counts as over (a hand
 *     still in the bin moves it again)
 * @param sensorNoiseGrams the load cell's noise, one standard deviation
 * @param maxZ a product explanation further than this many standard deviations from the change is rejected
 * @param minZMargin the best explanation must beat the next by this many standard deviations to be confident
 * @param handRadiusMetres hands within this distance of a bin's front are considered
 * @param handLeadMillis hands are looked for from this long before the change started
 * @param handLagMillis ... until this long after it settled
 * @param minHandMarginMetres the nearest visit's hand must be closer than any other visit's by this much
 */
public record ShelfSettings(
    double minChangeGrams,
    double settleToleranceGrams,
    long settleMillis,
    int settleReadings,
    long holdMillis,
    double sensorNoiseGrams,
    double maxZ,
    double minZMargin,
    double handRadiusMetres,
    long handLeadMillis,
    long handLagMillis,
    double minHandMarginMetres) {

  public static final ShelfSettings DEFAULTS =
      new ShelfSettings(6.0, 6.0, 400, 3, 400, 2.0, 3.5, 1.5, 0.5, 1_500, 300, 0.12);

  public ShelfSettings {
    if (minChangeGrams <= 0 || settleToleranceGrams <= 0 || sensorNoiseGrams <= 0) {
      throw new IllegalArgumentException("gram thresholds must be positive");
    }
    if (settleMillis < 0 || settleReadings < 2 || holdMillis < 0) {
      throw new IllegalArgumentException("settling needs a duration and at least two readings");
    }
    if (maxZ <= 0 || minZMargin < 0 || handRadiusMetres <= 0 || minHandMarginMetres < 0) {
      throw new IllegalArgumentException("thresholds must be positive");
    }
  }
}
