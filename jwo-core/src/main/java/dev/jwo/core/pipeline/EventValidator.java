package dev.jwo.core.pipeline;

import dev.jwo.core.Camera;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Gate;
import dev.jwo.core.GateKind;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks an event against the store's layout and the {@link InputLimits}: every id must exist and be of the right
 * kind, and every value within its bound.
 */
final class EventValidator {
  /** How far below the floor a hand may be reported (noise of a hand near the floor). */
  private static final double HAND_BELOW_FLOOR_METRES = 0.5;

  private final StoreLayout layout;
  private final InputLimits limits;

  EventValidator(StoreLayout layout, InputLimits limits) {
    this.layout = layout;
    this.limits = limits;
  }

  /** Returns the rejection, if the event is invalid. */
  @Nullable Rejection check(SensorEvent event) {
    if (event.ts() <= 0) {
      return new Rejection(RejectionReason.INVALID_VALUE, event.type() + " event has no valid ts: " + event.ts());
    }
    if (event instanceof EntryEvent entry) {
      if (entry.partySize() > limits.maxPartySize()) {
        return new Rejection(RejectionReason.INVALID_VALUE, "entry admits a party of " + entry.partySize()
            + "; store " + layout.storeId() + " admits at most " + limits.maxPartySize() + " people per scan");
      }
      return checkGate(entry.gate().value(), layout.gate(entry.gate()), GateKind.ENTRY, "entry");
    } else if (event instanceof ExitEvent exit) {
      return checkGate(exit.gate().value(), layout.gate(exit.gate()), GateKind.EXIT, "exit");
    } else if (event instanceof WeightEvent weight) {
      if (layout.bin(weight.bin()).isEmpty()) {
        return new Rejection(RejectionReason.UNKNOWN_ID,
            "weight reading from bin '" + weight.bin() + "', which store " + layout.storeId() + " does not have");
      }
      if (Math.abs(weight.grams()) > limits.maxWeightGrams()) {
        return new Rejection(RejectionReason.INVALID_VALUE,
            "weight reading of bin '" + weight.bin() + "' is out of range: " + weight.grams() + " g");
      }
    } else if (event instanceof FrameEvent frame) {
      if (layout.camera(frame.camera()).isEmpty()) {
        return new Rejection(RejectionReason.UNKNOWN_ID,
            "frame from camera '" + frame.camera() + "', which store " + layout.storeId() + " does not have");
      }
      return checkFrame(frame);
    }
    return null;
  }

  private @Nullable Rejection checkFrame(FrameEvent frame) {
    String what = "frame from camera '" + frame.camera() + "'";
    if (frame.people().size() > limits.maxPeoplePerFrame()) {
      return new Rejection(RejectionReason.INVALID_VALUE, what + " reports " + frame.people().size()
          + " people; at most " + limits.maxPeoplePerFrame() + " are taken per frame");
    }
    for (PersonObservation person : frame.people()) {
      Position p = person.position();
      if (!onFloor(p.x(), p.y())) {
        return new Rejection(RejectionReason.INVALID_VALUE, what + " places a person at (" + p.x() + ", " + p.y()
            + ") m, beyond the " + layout.floor().widthMetres() + " x " + layout.floor().depthMetres()
            + " m floor and its " + limits.floorMarginMetres() + " m margin");
      }
      for (Point3 hand : person.hands()) {
        if (!onFloor(hand.x(), hand.y()) || hand.z() < -HAND_BELOW_FLOOR_METRES
            || hand.z() > limits.maxHandHeightMetres()) {
          return new Rejection(RejectionReason.INVALID_VALUE, what + " places a hand at (" + hand.x() + ", "
              + hand.y() + ", " + hand.z() + ") m, outside the store (hands from " + -HAND_BELOW_FLOOR_METRES
              + " to " + limits.maxHandHeightMetres() + " m high, within the floor's margin)");
        }
      }
      FeatureVector features = person.features();
      if (features != null && features.dimension() > limits.maxFeatureDimension()) {
        return new Rejection(RejectionReason.INVALID_VALUE, what + " carries a feature vector of "
            + features.dimension() + " values; at most " + limits.maxFeatureDimension() + " are taken");
      }
    }
    return null;
  }

  private boolean onFloor(double x, double y) {
    double margin = limits.floorMarginMetres();
    return x >= -margin && y >= -margin
        && x <= layout.floor().widthMetres() + margin && y <= layout.floor().depthMetres() + margin;
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
