package dev.jwo.core.ingest;

import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of a {@link FeatureIntake}: {@code jwo.intake.features} per feature kind and outcome (kept, sealed,
 * removed) with the reason, and {@code jwo.intake.forbidden} per camera for features a camera sent although its
 * capture policy did not allow them (an incident: the gateway ignores the policy). Tags carry no personal data.
 */
public final class IntakeCounters {
  private final MeterRegistry registry;

  public IntakeCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  public void kept(FeatureKind kind) {
    features(kind.wireName(), "kept", "allowed").increment();
  }

  public void sealed(FeatureKind kind, int vectors) {
    features(kind.wireName(), "sealed", "allowed").increment(vectors);
  }

  /** A vector removed before it was written; {@code reason} is a fixed phrase, never a value. */
  public void removed(FeatureKind kind, String reason) {
    features(kind.wireName(), "removed", reason).increment();
  }

  /** A vector removed because the camera may not send it at all. */
  public void removed(CameraId camera, String reason) {
    features("unknown", "removed", reason).increment();
    forbidden(camera);
  }

  /** Counts features a camera sent against its capture policy. */
  public void forbidden(CameraId camera) {
    Counter.builder("jwo.intake.forbidden")
        .description("Feature vectors a camera sent although its capture policy did not allow them")
        .tag("camera", camera.value())
        .register(registry)
        .increment();
  }

  private Counter features(String kind, String outcome, String reason) {
    return Counter.builder("jwo.intake.features")
        .description("Camera feature vectors screened at the store's boundary, by what became of them")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry);
  }
}
