package dev.jwo.vision.tracking;

/**
 * Tuning of the default tracker ({@link KalmanTracker}). Distances in metres, times in milliseconds.
 *
 * @param gateMetres how far a detection may be from a track's predicted position and still be assigned to it
 * @param lostGrowthMetresPerSecond how much the gate widens per second a track has not been seen
 * @param maxGateMetres the widest gate
 * @param hitsToConfirm detections needed before a track counts as a person; 1 confirms one-off spurious
 *     detections, which the {@link dev.jwo.vision.PersonTracker} contract rules out, so use it only in tests
 * @param tentativeTimeoutMillis a tentative track not seen for this long is dropped
 * @param lostAfterMillis a confirmed track not seen for this long is lost
 * @param forgetLostAfterMillis a lost track is forgotten after this long
 * @param historyMillis how much of each track's history is kept
 */
public record TrackerSettings(
    double gateMetres,
    double lostGrowthMetresPerSecond,
    double maxGateMetres,
    int hitsToConfirm,
    long tentativeTimeoutMillis,
    long lostAfterMillis,
    long forgetLostAfterMillis,
    long historyMillis) {

  public static final TrackerSettings DEFAULTS = new TrackerSettings(0.8, 1.2, 3.0, 3, 600, 1_200, 20_000, 30_000);

  public TrackerSettings {
    if (gateMetres <= 0 || maxGateMetres < gateMetres || lostGrowthMetresPerSecond < 0) {
      throw new IllegalArgumentException("gate distances must be positive and the maximum at least the base");
    }
    if (hitsToConfirm < 1) {
      throw new IllegalArgumentException("a track needs at least one hit to be confirmed");
    }
    if (tentativeTimeoutMillis <= 0 || lostAfterMillis <= 0 || forgetLostAfterMillis <= 0 || historyMillis <= 0) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }
}
