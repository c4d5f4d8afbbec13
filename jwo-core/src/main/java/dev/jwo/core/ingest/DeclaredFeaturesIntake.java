package dev.jwo.core.ingest;

import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.v1.SensorEventMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The intake of a store without a compliance module: it keeps only clothing-colour features from cameras that
 * declare them and removes everything else before it is written, face geometry included (nothing here can tell
 * whether a person released it). Counts in {@code jwo.intake.features}.
 */
public final class DeclaredFeaturesIntake implements FeatureIntake {
  private final Map<CameraId, FeatureKind> policy = new LinkedHashMap<>();
  private final Map<CameraId, FeatureKind> declared = new LinkedHashMap<>();
  private final IntakeCounters counters;

  public DeclaredFeaturesIntake(StoreLayout layout, MeterRegistry registry) {
    for (Camera camera : layout.cameras()) {
      declared.put(camera.id(), camera.features());
      policy.put(camera.id(), camera.features() == FeatureKind.CLOTHING_COLOR ? FeatureKind.CLOTHING_COLOR
          : FeatureKind.NONE);
    }
    this.counters = new IntakeCounters(registry);
  }

  @Override
  public List<SensorEventMessage> screen(List<SensorEventMessage> accepted) {
    List<SensorEventMessage> screened = new ArrayList<>(accepted.size());
    for (SensorEventMessage message : accepted) {
      if (!IntakeFrames.carriesFeatures(message)) {
        screened.add(message);
        continue;
      }
      CameraId camera = CameraId.of(message.getFrame().getCamera());
      FeatureKind allowed = policy.getOrDefault(camera, FeatureKind.NONE);
      screened.add(IntakeFrames.rewritePeople(message, person -> {
        if (person.getFeaturesCount() == 0 && person.getSealedFeatures().isEmpty()) {
          return person;
        }
        if (allowed != FeatureKind.NONE) {
          counters.kept(allowed);
          return person;
        }
        if (declared.get(camera) == FeatureKind.FACE_GEOMETRY) {
          counters.removed(FeatureKind.FACE_GEOMETRY, "no compliance module");
          return IntakeFrames.removed(person, "no compliance module decides on biometric data here, so none is "
              + "received", "jwo policy R1 (fail closed)");
        }
        counters.removed(camera, "not allowed from this camera");
        return IntakeFrames.withoutFeatures(person);
      }));
    }
    return screened;
  }

  @Override
  public Optional<FeatureVector> open(String reference) {
    return Optional.empty();
  }

  @Override
  public Map<CameraId, FeatureKind> capturePolicy() {
    return Map.copyOf(policy);
  }
}
