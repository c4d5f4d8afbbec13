package dev.jwo.payments.settlement;

import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.compliance.subject.SubjectSection;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.ReceiptVersion;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What payments hold about a person, for their access request: the visits they paid for and when they left, every
 * version of each receipt, the payment of each visit (its stage and the processor's reference, never the
 * credential) and the refunds of their disputes.
 */
@Singleton
public final class PaymentSubjectRecords implements SubjectRecords {
  private final ReceiptBook receipts;
  private final VisitPayments payments;

  private final Subjects subjects;

  @Inject
  public PaymentSubjectRecords(ReceiptBook receipts, VisitPayments payments, Subjects subjects) {
    this.receipts = receipts;
    this.payments = payments;
    this.subjects = subjects;
  }

  @Override
  public Set<String> visitsOf(String subject) {
    return own(subject).stream().map(r -> r.visitId().value()).collect(Collectors.toSet());
  }

  private List<Receipt> own(String subject) {
    return receipts.all().stream().filter(r -> subjects.of(r.credential()).equals(subject)).toList();
  }

  @Override
  public List<SubjectSection> about(String subject, Set<String> visitsOfSubject) {
    List<Receipt> own = own(subject);
    List<String> visits = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    List<String> paid = new ArrayList<>();
    List<String> disputes = new ArrayList<>();
    for (Receipt receipt : own) {
      String visit = receipt.visitId().value();
      visits.add("Visit " + visit + (receipt.exitTs() == null ? ", not left yet"
          : ", left the store at " + Instant.ofEpochMilli(receipt.exitTs())) + ", decided at "
          + Instant.ofEpochMilli(receipt.finalizedTs()) + ".");
      for (ReceiptVersion v : receipts.history(receipt.visitId())) {
        Receipt r = v.receipt();
        versions.add("Visit " + visit + " receipt version " + v.version()
            + (v.amendment().isEmpty() ? "" : " (" + v.amendment() + ")") + ": "
            + r.status().name().toLowerCase(java.util.Locale.ROOT) + ", " + items(r.items()) + ", total " + r.total()
            + (r.reasons().isEmpty() ? "" : ", because " + String.join("; ", r.reasons())) + ".");
      }
      payments.stage(receipt.visitId()).ifPresent(stage -> paid.add("Visit " + visit + ": payment "
          + stage.name().toLowerCase(java.util.Locale.ROOT)
          + (receipt.paymentReference().isEmpty() ? "" : ", processor reference " + receipt.paymentReference())
          + "."));
      for (RefundRecord refund : payments.refunds(receipt.visitId())) {
        disputes.add("Visit " + visit + " dispute " + refund.disputeId() + ": refund of " + refund.amount() + ", "
            + refund.status().name().toLowerCase(java.util.Locale.ROOT) + ".");
      }
    }
    return List.of(
        new SubjectSection("Visits and times", EnumSet.of(DataCategory.LOCATION_TRACK), visits),
        new SubjectSection("Purchases and receipts (every version)", EnumSet.of(DataCategory.PURCHASE), versions),
        new SubjectSection("Payments", EnumSet.of(DataCategory.PAYMENT_TOKEN), paid),
        new SubjectSection("Disputes and refunds", EnumSet.of(DataCategory.PURCHASE), disputes));
  }

  private static String items(List<LineItem> items) {
    return items.isEmpty() ? "no items" : items.stream()
        .map(i -> i.quantity() + " x " + i.sku().value() + " at " + i.unitPrice()).collect(Collectors.joining(", "));
  }
}
