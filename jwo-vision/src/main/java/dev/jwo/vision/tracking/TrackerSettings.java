package dev.jwo.vision.tracking;

/**
 * Tuning of the default tracker ({@link KalmanTracker}). Distances in metres, times in milliseconds. There is no
 * fixed association gate: the tracker estimates each camera's measurement noise from its residuals and gates by
 * the predicted uncertainty; {@code initialNoiseMetres} is only where that estimate starts.
 *
 * @param initialNoiseMetres the standard deviation of a detection's position assumed before a camera's residuals
 *     have been measured
 * @param reachMetresPerSecond how far a person is assumed to walk per second while unseen, when a lost track is
 *     continued by a new one
 * @param maxReachMetres the farthest a lost track is continued from where it was last seen (beyond the
 *     measurement noise)
 * @param hitsToConfirm detections needed before a track counts as a person; 1 confirms one-off spurious
 *     detections, which the {@link dev.jwo.vision.PersonTracker} contract rules out, so use it only in tests
 * @param tentativeTimeoutMillis a tentative track not seen for this long is dropped
 * @param lostAfterMillis a confirmed track not seen for this long is lost
 * @param forgetLostAfterMillis a lost track is forgotten after this long
 * @param historyMillis how much of each track's history is kept
 */
public record TrackerSettings(
    double initialNoiseMetres,
    double reachMetresPerSecond,
    double maxReachMetres,
    int hitsToConfirm,
    long tentativeTimeoutMillis,
    long lostAfterMillis,
    long forgetLostAfterMillis,
    long historyMillis) {

  public static final TrackerSettings DEFAULTS = new TrackerSettings(0.15, 1.2, 2.4, 3, 600, 1_200, 20_000, 30_000);

  public TrackerSettings {
    if (!(initialNoiseMetres > 0) || !(maxReachMetres > 0) || !(reachMetresPerSecond >= 0)) {
      throw new IllegalArgumentException("noise, reach and speed must be positive");
    }
    if (hitsToConfirm < 1) {
      throw new IllegalArgumentException("a track needs at least one hit to be confirmed");
    }
    if (tentativeTimeoutMillis <= 0 || lostAfterMillis <= 0 || forgetLostAfterMillis <= 0 || historyMillis <= 0) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }
}
