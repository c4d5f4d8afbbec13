package dev.jwo.payments;

import dev.jwo.core.Money;
import java.util.Objects;

/** A completed refund: the processor's id for it and the amount given back. */
public record RefundResult(String refundId, Money amount) {
  public RefundResult {
    Objects.requireNonNull(refundId, "refundId");
    Objects.requireNonNull(amount, "amount");
  }
}
