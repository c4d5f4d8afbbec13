package dev.jwo.payments;

import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.VisitId;
import dev.jwo.core.storelog.ReceiptRecord;
import dev.jwo.core.visit.LineItem;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The receipt of a visit: what was charged (or is held for review, or is still open), decided at event time
 * {@code finalizedTs}. {@code paymentReference} is the processor's capture id once charged.
 */
public record Receipt(
    VisitId visitId,
    Credential credential,
    ReceiptStatus status,
    List<LineItem> items,
    Money total,
    @Nullable Long exitTs,
    long finalizedTs,
    List<String> reasons,
    String paymentReference) {

  public Receipt {
    Objects.requireNonNull(visitId, "visitId");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(paymentReference, "paymentReference");
    items = List.copyOf(items);
    reasons = List.copyOf(reasons);
  }

  /** The line of {@code receipts.jsonl} for this receipt; its total is the subtotal (the log's version 1 has no tax). */
  public ReceiptRecord toRecord() {
    return new ReceiptRecord(
        credential,
        status,
        items.stream().map(i -> new SkuQuantity(i.sku(), i.quantity())).toList(),
        TaxTable.subtotal(items, Money.zero(total.currency())).minor(),
        exitTs,
        finalizedTs);
  }
}
