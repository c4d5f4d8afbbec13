package dev.jwo.core.visit;

import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the cart concluded about a visit: the items, and whether to charge ({@link ReceiptStatus#CHARGED}),
 * hold for review ({@link ReceiptStatus#REVIEW}) or report the visit as still open ({@link ReceiptStatus#OPEN}).
 *
 * @param exitTs when the last member left; null for an open visit
 * @param decidedTs the event time at which this was decided
 * @param reasons why a visit is held for review, for the reviewer (empty otherwise)
 * @param probabilityRight how likely the receipt's items are exactly what the party took (1 when nothing is in
 *     doubt); a visit is charged when it reaches the checkout's threshold
 * @param doubtfulLines the lines a reviewer must decide, each with its alternatives; the other items are known
 */
public record VisitOutcome(
    Admission admission,
    ReceiptStatus decision,
    List<LineItem> items,
    @Nullable Long exitTs,
    long decidedTs,
    List<String> reasons,
    double probabilityRight,
    List<DoubtfulLine> doubtfulLines) {

  public VisitOutcome {
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(decision, "decision");
    items = List.copyOf(items);
    reasons = List.copyOf(reasons);
    doubtfulLines = List.copyOf(doubtfulLines);
    DoubtfulLine.requireProbability(probabilityRight);
    if (decision != ReceiptStatus.OPEN && exitTs == null) {
      throw new IllegalArgumentException("an ended visit needs its exit time");
    }
  }

  /** An outcome without a probability: certain when it holds no reasons, else unknown (0). */
  public VisitOutcome(Admission admission, ReceiptStatus decision, List<LineItem> items, @Nullable Long exitTs,
      long decidedTs, List<String> reasons) {
    this(admission, decision, items, exitTs, decidedTs, reasons, reasons.isEmpty() ? 1 : 0, List.of());
  }

  /** The sum of the items' amounts, in {@code zero}'s currency. */
  public Money total(Money zero) {
    Money total = zero;
    for (LineItem item : items) {
      total = total.plus(item.amount());
    }
    return total;
  }
}
