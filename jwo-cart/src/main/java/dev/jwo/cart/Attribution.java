package dev.jwo.cart;

import dev.jwo.core.VisitId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whose hand made a shelf event: a visit (or nobody identified), whether that is clear enough to charge without a
 * person checking, and why.
 */
public record Attribution(@Nullable VisitId visit, boolean confident, String explanation) {

  public static Attribution nobody(String explanation) {
    return new Attribution(null, false, explanation);
  }

  public Optional<VisitId> visitId() {
    return Optional.ofNullable(visit);
  }
}
