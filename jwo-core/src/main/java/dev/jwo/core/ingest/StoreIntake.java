package dev.jwo.core.ingest;

import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.v1.SensorEventMessage;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's {@link FeatureIntake}: the one bound (the compliance module's), or, without one,
 * {@link DeclaredFeaturesIntake}; and its {@link CredentialSeal}, the one bound or {@link CredentialSeal#NONE}. Live input meets it in the {@link IngestLog}; a replayed store log meets it
 * through {@link #screenEvents}, so that a replay receives and keeps exactly what a live store would.
 */
@Singleton
public final class StoreIntake {
  private final FeatureIntake intake;
  private final CredentialSeal credentials;

  @Inject
  StoreIntake(Optional<FeatureIntake> bound, Optional<CredentialSeal> seal, StoreLayout layout,
      MeterRegistry registry) {
    this(bound.isPresent() ? bound.get() : new DeclaredFeaturesIntake(layout, registry),
        seal.orElse(CredentialSeal.NONE));
  }

  /** An intake that journals credentials as received ({@link CredentialSeal#NONE}). */
  public StoreIntake(FeatureIntake intake) {
    this(intake, CredentialSeal.NONE);
  }

  public StoreIntake(FeatureIntake intake, CredentialSeal credentials) {
    this.intake = intake;
    this.credentials = credentials;
  }

  public FeatureIntake intake() {
    return intake;
  }

  /** How entries' credentials are kept out of the input journal (the compliance module's, or none). */
  public CredentialSeal credentials() {
    return credentials;
  }

  /**
   * The events as the boundary lets them in, one for one and in order: frames whose people carry features go
   * through the intake (sealed features come back opened, removed ones are gone); other events are returned as
   * they are.
   */
  public List<SensorEvent> screenEvents(List<SensorEvent> events) {
    List<SensorEventMessage> frames = new ArrayList<>();
    for (SensorEvent event : events) {
      if (carriesFeatures(event)) {
        frames.add(SensorEventProtos.toProto(event, "replay", frames.size() + 1));
      }
    }
    if (frames.isEmpty()) {
      return events;
    }
    List<SensorEventMessage> screened = intake.screen(frames);
    List<SensorEvent> out = new ArrayList<>(events.size());
    int next = 0;
    for (SensorEvent event : events) {
      out.add(carriesFeatures(event) ? SensorEventProtos.fromProto(screened.get(next++), intake::open) : event);
    }
    return out;
  }

  private static boolean carriesFeatures(SensorEvent event) {
    if (event instanceof FrameEvent frame) {
      for (PersonObservation person : frame.people()) {
        if (person.features() != null) {
          return true;
        }
      }
    }
    return false;
  }
}
