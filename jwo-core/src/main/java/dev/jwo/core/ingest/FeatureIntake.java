package dev.jwo.core.ingest;

import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.v1.SensorEventMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, at the store's boundary, which per-person camera features the store may receive, before anything of a
 * frame is written. The {@link IngestLog} hands it every accepted message of a commit before the commit; what it
 * returns is what is journaled and processed. A feature vector comes out in one of three ways:
 *
 * <ul>
 *   <li><b>kept</b> as received, for features that are not biometric (a clothing-colour histogram);
 *   <li><b>sealed</b>: stored encrypted elsewhere (the compliance module's biometric vault) and replaced in the
 *       frame by a reference ({@code sealed_features}), which {@link #open} turns back into the values while they
 *       are still held;
 *   <li><b>removed</b>: never written anywhere, where the store may not collect it (no covering release, a banned
 *       method, a camera that declared no such features).
 * </ul>
 *
 * <p>Implementations must be deterministic in what they journal only to the extent that the journal is the truth:
 * replay reads the journaled form, so the decision may depend on the store's current state. They must never write
 * a biometric value anywhere but sealed, and never log one. Called on the ingest log's writer thread.
 */
public interface FeatureIntake {

  /**
   * The messages as they may be journaled, one for one and in the same order; messages other than frames come
   * back unchanged. A {@code sealed_features} reference a gateway sent is always removed.
   */
  List<SensorEventMessage> screen(List<SensorEventMessage> accepted);

  /** The values a reference left by {@link #screen} stands for, or empty once they were destroyed. */
  Optional<FeatureVector> open(String reference);

  /**
   * Which features each camera may send now (its capture policy, published to camera gateways so that forbidden
   * features are not even sent): {@link FeatureKind#NONE} where none may.
   */
  Map<CameraId, FeatureKind> capturePolicy();
}
