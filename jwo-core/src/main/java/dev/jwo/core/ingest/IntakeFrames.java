package dev.jwo.core.ingest;

import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.FeatureRemoval;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import java.util.function.UnaryOperator;

/** Rewrites the people of a frame message; shared by {@link FeatureIntake} implementations. */
public final class IntakeFrames {
  private IntakeFrames() {}

  /** Whether the message is a frame in which some person carries features or a sealed reference. */
  public static boolean carriesFeatures(SensorEventMessage message) {
    if (!message.hasFrame()) {
      return false;
    }
    for (PersonDetection person : message.getFrame().getPeopleList()) {
      if (person.getFeaturesCount() > 0 || !person.getSealedFeatures().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The frame message with each person replaced by {@code rewrite}'s result. */
  public static SensorEventMessage rewritePeople(SensorEventMessage message, UnaryOperator<PersonDetection> rewrite) {
    CameraFrame.Builder frame = message.getFrame().toBuilder().clearPeople();
    for (PersonDetection person : message.getFrame().getPeopleList()) {
      frame.addPeople(rewrite.apply(person));
    }
    return message.toBuilder().setFrame(frame).build();
  }

  /** The person with no features and no sealed reference. */
  public static PersonDetection withoutFeatures(PersonDetection person) {
    return person.getFeaturesCount() == 0 && person.getSealedFeatures().isEmpty()
        ? person : person.toBuilder().clearFeatures().clearSealedFeatures().build();
  }

  /**
   * The person with no features, marked as removed at the boundary with {@code reason} and {@code rule}, so that
   * whoever processes the journaled frame (live or in a replay) can report the drop.
   */
  public static PersonDetection removed(PersonDetection person, String reason, String rule) {
    return person.toBuilder().clearFeatures().clearSealedFeatures()
        .setRemovedFeatures(FeatureRemoval.newBuilder().setReason(reason).setRule(rule))
        .build();
  }
}
