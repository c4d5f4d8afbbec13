package dev.jwo.core.event;

import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One person as one camera saw them: a floor position, zero to two hands in 3-D, and the camera's extra
 * features where it declares a kind (null otherwise). Features may be biometric; see {@link FeatureVector}. Where the
 * store's boundary removed the features before anything was written, {@code removed} says why.
 */
public record PersonObservation(
    Position position, List<Point3> hands, @Nullable FeatureVector features, @Nullable FeatureRemoval removed) {
  public PersonObservation {
    Objects.requireNonNull(position, "position");
    hands = List.copyOf(hands);
    if (hands.size() > 2) {
      throw new IllegalArgumentException("a person has at most two hands, got " + hands.size());
    }
    if (features != null && removed != null) {
      throw new IllegalArgumentException("features cannot be both present and removed");
    }
  }

  public PersonObservation(Position position, List<Point3> hands, @Nullable FeatureVector features) {
    this(position, hands, features, null);
  }

  /** The same observation with its features removed, as when the compliance guard drops them. */
  public PersonObservation withoutFeatures() {
    return features == null ? this : new PersonObservation(position, hands, null, removed);
  }

  /** Why the store's boundary did not receive a person's features: a reason and the rule that decided it. */
  public record FeatureRemoval(String reason, String rule) {
    public FeatureRemoval {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(rule, "rule");
    }
  }
}
