package dev.jwo.payments.settlement;

import dev.jwo.core.Money;
import dev.jwo.payments.v1.StoredRefund;
import java.util.Currency;
import java.util.Objects;

/**
 * A refund as it stands.
 *
 * @param status {@code PENDING} (queued for a retry), {@code DONE} or {@code FAILED}
 * @param refundId the processor's id once done
 * @param failure why it is queued or failed
 */
public record RefundRecord(String disputeId, Money amount, StoredRefund.Status status, String refundId,
    String failure) {
  public RefundRecord {
    Objects.requireNonNull(disputeId, "disputeId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(refundId, "refundId");
    Objects.requireNonNull(failure, "failure");
  }

  static RefundRecord of(StoredRefund r) {
    return new RefundRecord(r.getDisputeId(), new Money(r.getAmountMinor(), Currency.getInstance(r.getCurrency())),
        r.getStatus(), r.getRefundId(), r.getFailure());
  }
}
