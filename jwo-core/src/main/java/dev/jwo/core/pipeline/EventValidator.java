package dev.jwo.core.pipeline;

import dev.jwo.core.Camera;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Gate;
import dev.jwo.core.GateKind;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Checks an event against the store's layout: every id must exist and be of the right kind. */
final class EventValidator {
  private final StoreLayout layout;

  EventValidator(StoreLayout layout) {
    this.layout = layout;
  }

  /** Returns the rejection, if the event is invalid. */
  @Nullable Rejection check(SensorEvent event) {
    if (event.ts() <= 0) {
      return new Rejection(RejectionReason.INVALID_VALUE, event.type() + " event has no valid ts: " + event.ts());
    }
    if (event instanceof EntryEvent entry) {
      return checkGate(entry.gate().value(), layout.gate(entry.gate()), GateKind.ENTRY, "entry");
    } else if (event instanceof ExitEvent exit) {
      return checkGate(exit.gate().value(), layout.gate(exit.gate()), GateKind.EXIT, "exit");
    } else if (event instanceof WeightEvent weight) {
      if (layout.bin(weight.bin()).isEmpty()) {
        return new Rejection(RejectionReason.UNKNOWN_ID,
            "weight reading from bin '" + weight.bin() + "', which store " + layout.storeId() + " does not have");
      }
      if (weight.grams() < -1_000_000 || weight.grams() > 1_000_000) {
        return new Rejection(RejectionReason.INVALID_VALUE,
            "weight reading of bin '" + weight.bin() + "' is out of range: " + weight.grams() + " g");
      }
    } else if (event instanceof FrameEvent frame) {
      if (layout.camera(frame.camera()).isEmpty()) {
        return new Rejection(RejectionReason.UNKNOWN_ID,
            "frame from camera '" + frame.camera() + "', which store " + layout.storeId() + " does not have");
      }
    }
    return null;
  }

  /**
   * Removes features a camera did not declare: their kind is unknown, so they may be biometric and must not
   * enter the pipeline.
   */
  FrameEvent withDeclaredFeaturesOnly(FrameEvent frame) {
    Camera camera = layout.camera(frame.camera()).orElseThrow();
    if (camera.features() != FeatureKind.NONE
        || frame.people().stream().allMatch(p -> p.features() == null)) {
      return frame;
    }
    return new FrameEvent(
        frame.ts(), frame.camera(), frame.people().stream().map(PersonObservation::withoutFeatures).toList());
  }

  private static @Nullable Rejection checkGate(String id, Optional<Gate> gate, GateKind expected, String what) {
    if (gate.isEmpty()) {
      return new Rejection(RejectionReason.UNKNOWN_ID, what + " at gate '" + id + "', which the store does not have");
    }
    if (gate.get().kind() != expected) {
      return new Rejection(RejectionReason.INVALID_VALUE,
          what + " reported at gate '" + id + "', which is an " + gate.get().kind() + " gate");
    }
    return null;
  }
}
