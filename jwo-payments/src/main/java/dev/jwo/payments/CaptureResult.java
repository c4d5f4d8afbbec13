package dev.jwo.payments;

import dev.jwo.core.Money;
import java.util.Objects;

/** A completed capture: the processor's id for it and the amount charged. */
public record CaptureResult(String captureId, Money amount) {
  public CaptureResult {
    Objects.requireNonNull(captureId, "captureId");
    Objects.requireNonNull(amount, "amount");
  }
}
