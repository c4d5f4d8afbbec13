package dev.jwo.core.storelog;

import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.SkuQuantity;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code receipts.jsonl}: the outcome of one visit. {@code exitTs} is null while the visit is
 * {@link ReceiptStatus#OPEN}.
 */
public record ReceiptRecord(
    Credential credential,
    ReceiptStatus status,
    List<SkuQuantity> items,
    long totalMinor,
    @Nullable Long exitTs,
    long finalizedTs) {

  public ReceiptRecord {
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(status, "status");
    items = List.copyOf(items);
  }
}
