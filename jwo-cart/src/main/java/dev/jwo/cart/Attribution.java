package dev.jwo.cart;

import dev.jwo.core.VisitId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whose hand made a shelf event: a visit (or nobody identified), whether that is clear enough to charge without a
 * person checking, and why. An attribution that names no visit cannot be confident (the constructor rejects it):
 * there is no one to charge.
 */
public record Attribution(@Nullable VisitId visit, boolean confident, String explanation) {
  public Attribution {
    Objects.requireNonNull(explanation, "explanation");
    if (confident && visit == null) {
      throw new IllegalArgumentException("an attribution to nobody cannot be confident");
    }
  }

  public static Attribution nobody(String explanation) {
    return new Attribution(null, false, explanation);
  }

  public Optional<VisitId> visitId() {
    return Optional.ofNullable(visit);
  }
}
