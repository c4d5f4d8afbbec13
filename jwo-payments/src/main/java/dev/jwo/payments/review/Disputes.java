package dev.jwo.payments.review;

import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.ReceiptVersion;
import dev.jwo.payments.review.ReviewException.Problem;
import dev.jwo.payments.settlement.RefundRecord;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.ReviewKind;
import dev.jwo.payments.v1.StoredRefund;
import dev.jwo.payments.v1.StoredReviewCase;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Shoppers' contests of receipt lines. Under the {@link DisputePolicy}, a small contest is refunded at once through
 * the payment provider and the receipt amended as a new version; any other goes to the {@link ReviewDesk} as a
 * dispute. A contest is named by the receipt version the shopper saw and the line ({@code d-v<version>-l<line>}),
 * which is also its refund's idempotency key, so a contest sent twice refunds once, even after the first one
 * amended the receipt.
 */
@Singleton
public final class Disputes {
  private final ReceiptBook receipts;
  private final VisitPayments payments;
  private final ReviewDesk desk;
  private final DisputePolicy policy;
  private final AuditChain audit;
  private final Clock clock;
  private final MeterRegistry registry;

  @Inject
  public Disputes(ReceiptBook receipts, VisitPayments payments, ReviewDesk desk, DisputePolicy policy,
      AuditChain audit, Clock clock, MeterRegistry registry) {
    this.receipts = receipts;
    this.payments = payments;
    this.desk = desk;
    this.policy = policy;
    this.audit = audit;
    this.clock = clock;
    this.registry = registry;
  }

  /** What became of a contest. */
  public enum Outcome { REFUNDED, REFUND_QUEUED, SENT_TO_REVIEW }

  /** A contest's outcome, its id and amount, and the receipt as it is now. */
  public record Contest(Outcome outcome, String disputeId, Money amount, ReceiptVersion receipt) {}

  /**
   * Contests {@code quantity} units of line {@code lineIndex} of the visit's current receipt.
   *
   * @throws ReviewException NOT_FOUND without a receipt, INVALID for a bad line, quantity or reason, CONFLICT when
   *     the receipt is not charged, another contest of the visit waits for review, or the visit's records were
   *     erased when its dispute window closed (no case is opened that no schedule would delete)
   */
  public synchronized Contest contest(
      VisitId visit, int receiptVersion, int lineIndex, int quantity, ContestReason reason, String note) {
    if (reason == ContestReason.CONTEST_REASON_UNSPECIFIED || reason == ContestReason.UNRECOGNIZED) {
      throw new ReviewException(Problem.INVALID, "a reason is required: not taken, wrong product, wrong quantity,"
          + " charged twice or other");
    }
    if (note.length() > 500) {
      throw new ReviewException(Problem.INVALID, "note is limited to 500 characters");
    }
    ReceiptVersion current = receipts.current(visit).orElseThrow(() -> new ReviewException(Problem.NOT_FOUND,
        "visit " + visit + " has no receipt yet"));
    int version = receiptVersion == 0 ? current.version() : receiptVersion;
    String disputeId = "d-v" + version + "-l" + lineIndex;
    Optional<StoredReviewCase> sameCase = desk.get(visit).filter(c -> c.getDisputeId().equals(disputeId));
    if (sameCase.isPresent()) {
      return new Contest(Outcome.SENT_TO_REVIEW, disputeId, sameCase.get().getQuantity() == 0
          ? Money.zero(current.receipt().total().currency())
          : amountOf(visit, version, lineIndex, sameCase.get().getQuantity()), current);
    }
    Optional<RefundRecord> earlier = payments.refunds(visit).stream()
        .filter(r -> r.disputeId().equals(disputeId)).findFirst();
    if (earlier.isPresent()) {
      return new Contest(outcome(earlier.get()), disputeId, earlier.get().amount(), current);
    }
    if (payments.recordsErased(visit)) {
      // A case opened now would be kept by no schedule: the visit's records went when its window closed.
      throw new ReviewException(Problem.CONFLICT, "the dispute window of visit " + visit + " is over: its records"
          + " were deleted on the store's published schedule, so it can no longer be contested here; nothing was"
          + " opened. Contact the store or your card issuer.");
    }
    if (version != current.version()) {
      throw new ReviewException(Problem.CONFLICT, "the receipt of visit " + visit + " is at version "
          + current.version() + ", not " + version + "; contest a line of the current version");
    }
    Receipt receipt = current.receipt();
    if (receipt.status() != ReceiptStatus.CHARGED || receipt.paymentReference().isEmpty()) {
      throw new ReviewException(Problem.CONFLICT, "visit " + visit + " is not charged ("
          + receipt.status().name().toLowerCase(Locale.ROOT) + "); only a charged receipt can be contested");
    }
    if (lineIndex < 0 || lineIndex >= receipt.items().size()) {
      throw new ReviewException(Problem.INVALID, "line_index " + lineIndex + " is not a line of the receipt (it has "
          + receipt.items().size() + ")");
    }
    LineItem line = receipt.items().get(lineIndex);
    if (quantity < 1 || quantity > line.quantity()) {
      throw new ReviewException(Problem.INVALID, "quantity must be between 1 and the line's " + line.quantity()
          + ", was " + quantity);
    }
    List<LineItem> items = ReceiptBook.without(receipt.items(), lineIndex, quantity);
    Money total = receipts.total(items);
    Money amount = receipt.total().minus(total);
    if (!policy.refundsAtOnce(amount.minor(), reason)) {
      desk.openDispute(StoredReviewCase.newBuilder().setVisitId(visit.value()).setKind(ReviewKind.DISPUTE)
          .setDisputeId(disputeId).setLineIndex(lineIndex).setQuantity(quantity).setReason(reason).setNote(note)
          .build());
      registry.counter("jwo.disputes", "outcome", "review").increment();
      return new Contest(Outcome.SENT_TO_REVIEW, disputeId, amount, current);
    }
    RefundRecord refund = ReviewDesk.await(payments.refund(visit, disputeId, amount)).orElseThrow(() ->
        new ReviewException(Problem.CONFLICT, "the refund of visit " + visit + " could not be started; try again"));
    if (refund.status() == StoredRefund.Status.FAILED) {
      throw new ReviewException(Problem.CONFLICT, "the refund was refused by the processor: " + refund.failure());
    }
    String what = "refund " + disputeId + " of " + amount + " for " + line.sku() + " x" + quantity + " ("
        + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"
        + (refund.status() == StoredRefund.Status.PENDING ? ", queued" : "");
    receipts.amend(new Receipt(visit, receipt.credential(), receipt.status(), items, total, receipt.exitTs(),
        receipt.finalizedTs(), receipt.reasons(), receipt.paymentReference()), what);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("visit", visit.value());
    details.put("dispute", disputeId);
    details.put("sku", line.sku().value());
    details.put("quantity", Integer.toString(quantity));
    details.put("amount", amount.toString());
    details.put("reason", reason.name());
    details.put("refund", refund.status().name());
    audit.append(AuditType.REFUND_ISSUED, clock.millis(), receipt.credential(), details);
    registry.counter("jwo.disputes", "outcome", "refunded").increment();
    return new Contest(outcome(refund), disputeId, amount, receipts.current(visit).orElseThrow());
  }

  private static Outcome outcome(RefundRecord refund) {
    return refund.status() == StoredRefund.Status.DONE ? Outcome.REFUNDED : Outcome.REFUND_QUEUED;
  }

  /** What contesting {@code quantity} units of {@code line} of a version is worth, its tax included. */
  private Money amountOf(VisitId visit, int version, int line, int quantity) {
    for (ReceiptVersion v : receipts.history(visit)) {
      List<LineItem> items = v.receipt().items();
      if (v.version() == version && line < items.size() && quantity <= items.get(line).quantity()) {
        return receipts.amountOf(items, line, quantity);
      }
    }
    return Money.zero(receipts.current(visit).orElseThrow().receipt().total().currency());
  }
}
