package dev.jwo.server.cli;

import com.google.inject.Injector;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.inventory.InventoryBook;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.review.Disputes;
import dev.jwo.payments.review.ReviewDesk;
import dev.jwo.payments.review.ReviewException;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.AddLine;
import dev.jwo.payments.v1.BinStock;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.payments.v1.LineDecision;
import dev.jwo.payments.v1.ResolveReviewRequest;
import dev.jwo.payments.v1.StaffCheck;
import dev.jwo.payments.v1.ReviewKind;
import dev.jwo.payments.v1.StoredReviewCase;
import dev.jwo.sim.score.TailgatingScore;
import dev.jwo.sim.truth.TailgaterTruth;
import dev.jwo.sim.truth.VisitTruth;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's day after the replay, acted out against the simulator's truth: a reviewer resolves every held
 * receipt as a person watching the video would (the truth's cart), then shoppers contest each line they were
 * charged for but did not take, and a reviewer decides the contests the policy sends to review. Everything goes
 * through the SDK's own review desk, dispute policy and payment provider.
 */
final class StoreOperations {
  static final String REVIEWER = "demo-reviewer";

  /**
   * What happened, for the demo's summary. Its parts add up, or it is not made: contests are refunded at once or sent
   * to review, and incidents by kind make up every incident recorded.
   *
   * @param incidents every kind of incident the store knows, with how many were recorded
   * @param incidentsRecorded how many incidents the store recorded in all
   */
  record Counts(int held, int resolved, int linesChanged, int contested, int refundedAtOnce, int sentToReview,
      int refunds, Money refunded, int receiptsExact, int receipts, int unresolved, Map<IncidentKind, Long> incidents,
      long incidentsRecorded, int staffChecks, int restrictedLines, int binsLow, int unitsMisplaced) {

    Counts {
      incidents = Collections.unmodifiableMap(new EnumMap<>(incidents));
      if (!incidents.keySet().equals(kinds())) {
        throw new IllegalArgumentException("incidents must be counted for every kind " + kinds() + ", were for "
            + incidents.keySet());
      }
      long byKind = incidents.values().stream().mapToLong(Long::longValue).sum();
      if (byKind != incidentsRecorded) {
        throw new IllegalArgumentException("incidents by kind add up to " + byKind + ", not the " + incidentsRecorded
            + " recorded");
      }
      if (contested != refundedAtOnce + sentToReview) {
        throw new IllegalArgumentException(contested + " lines contested, but " + refundedAtOnce
            + " refunded at once and " + sentToReview + " sent to review");
      }
    }

    /** The kinds of incident the demo counts: every kind there is. */
    static Set<IncidentKind> kinds() {
      return EnumSet.complementOf(EnumSet.of(IncidentKind.INCIDENT_KIND_UNSPECIFIED, IncidentKind.UNRECOGNIZED));
    }

    long incidents(IncidentKind kind) {
      return incidents.getOrDefault(kind, 0L);
    }

    String toText() {
      StringBuilder byKind = new StringBuilder();
      for (Map.Entry<IncidentKind, Long> kind : incidents.entrySet()) {
        byKind.append(byKind.length() == 0 ? "" : ", ").append(kind.getValue()).append(' ').append(label(kind.getKey()));
      }
      return String.format(Locale.ROOT, "store operations (a reviewer and shoppers who know what they took):%n"
              + "  review desk: %d held receipts, %d resolved line by line (%d lines changed), %d left pending%n"
              + "  disputes: %d lines contested, %d refunded at once, %d sent to review and resolved there;"
              + " %d refunds, %s in all%n"
              + "  receipts matching the truth after review and refunds: %d of %d%n"
              + "  incidents: %d in all: %s%n"
              + "  restricted items: %d staff checks raised (%d restricted products taken without a verified age)%n"
              + "  inventory: %d bins low on stock, %d units put back in another product's bin%n",
          held, resolved, linesChanged, unresolved, contested, refundedAtOnce, sentToReview, refunds, refunded,
          receiptsExact, receipts, incidentsRecorded, byKind, staffChecks, restrictedLines, binsLow, unitsMisplaced);
    }

    private static String label(IncidentKind kind) {
      return switch (kind) {
        case TAILGATING -> "tailgating";
        case UNPAID_EXIT -> "unpaid exits";
        case UNMATCHED_EXIT -> "exits matched to no shopper";
        case OVER_OFFLINE_CAP -> "carts over the offline entry cap";
        case INCIDENT_KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("no kind: " + kind);
      };
    }
  }

  private final ReviewDesk desk;
  private final Disputes disputes;
  private final ReceiptBook receipts;
  private final VisitPayments payments;
  private final StoreLayout layout;
  private final IncidentLog incidents;
  private final RestrictedItems restricted;
  private final InventoryBook inventory;
  private final Map<String, VisitTruth> truth = new HashMap<>();

  StoreOperations(Injector injector, List<VisitTruth> visits) {
    this.desk = injector.getInstance(ReviewDesk.class);
    this.disputes = injector.getInstance(Disputes.class);
    this.receipts = injector.getInstance(ReceiptBook.class);
    this.payments = injector.getInstance(VisitPayments.class);
    this.layout = injector.getInstance(StoreLayout.class);
    this.incidents = injector.getInstance(IncidentLog.class);
    this.restricted = injector.getInstance(RestrictedItems.class);
    this.inventory = injector.getInstance(InventoryBook.class);
    for (VisitTruth v : visits) {
      truth.put(v.credential().reveal(), v);
    }
  }

  /** The replayed store's tailgating incidents graded against the scripted tailgaters ({@link TailgatingScore}). */
  static TailgatingScore tailgating(Injector injector, List<TailgaterTruth> truth) {
    List<TailgatingScore.Incident> reported = injector.getInstance(IncidentLog.class).all().stream()
        .filter(i -> i.getKind() == IncidentKind.TAILGATING)
        .map(i -> new TailgatingScore.Incident(GateId.of(i.getGateId()), i.getTsMs()))
        .toList();
    return TailgatingScore.score(truth, reported);
  }

  Counts run() throws InterruptedException {
    int held = desk.open().size();
    int linesChanged = 0;
    int resolved = 0;
    for (StoredReviewCase c : desk.open()) {
      if (c.getKind() == ReviewKind.HELD_RECEIPT) {
        int changed = resolveByTruth(c);
        if (changed >= 0) {
          resolved++;
          linesChanged += changed;
        }
      }
    }
    idle();
    int contested = 0;
    int atOnce = 0;
    int toReview = 0;
    for (Receipt receipt : receipts.all()) {
      VisitTruth t = truth.get(receipt.credential().reveal());
      for (int guard = 0; t != null && guard < 50; guard++) {
        Receipt current = receipts.current(receipt.visitId()).orElseThrow().receipt();
        int[] over = firstOvercharged(current, t);
        if (over.length == 0 || current.status() != ReceiptStatus.CHARGED || current.paymentReference().isEmpty()) {
          break;
        }
        Disputes.Contest contest;
        try {
          contest = disputes.contest(receipt.visitId(), 0, over[0], over[1], ContestReason.NOT_TAKEN, "not taken");
        } catch (ReviewException e) {
          break;
        }
        contested++;
        if (contest.outcome() == Disputes.Outcome.SENT_TO_REVIEW) {
          toReview++;
          StoredReviewCase dispute = desk.get(receipt.visitId()).orElseThrow();
          if (resolveByTruth(dispute) < 0) {
            break;
          }
          idle();
        } else {
          atOnce++;
        }
      }
    }
    idle();
    int exact = 0;
    for (Receipt receipt : receipts.all()) {
      VisitTruth t = truth.get(receipt.credential().reveal());
      if (t != null && receipt.status() == ReceiptStatus.CHARGED && counts(receipt.items()).equals(counts(t))) {
        exact++;
      }
    }
    Money refunded = Money.zero(layout.currency());
    for (Receipt receipt : receipts.all()) {
      for (var refund : payments.refunds(receipt.visitId())) {
        refunded = refunded.plus(refund.amount());
      }
    }
    return new Counts(held, resolved, linesChanged, contested, atOnce, toReview, payments.refundCount(), refunded,
        exact, receipts.all().size(), desk.open().size(), incidentsByKind(), incidents.all().size(),
        restricted.all().size(),
        restricted.all().stream().mapToInt(StaffCheck::getItemsCount).sum(),
        (int) inventory.all().stream().filter(BinStock::getLow).count(),
        inventory.all().stream().mapToInt(b -> b.getMisplacedMap().values().stream().mapToInt(i -> i).sum()).sum());
  }

  private Map<IncidentKind, Long> incidentsByKind() {
    Map<IncidentKind, Long> byKind = new EnumMap<>(IncidentKind.class);
    for (IncidentKind kind : Counts.kinds()) {
      byKind.put(kind, incidents.count(kind));
    }
    return byKind;
  }

  /** Claims and resolves a case with the truth's cart; returns the lines changed, or -1 if it could not. */
  private int resolveByTruth(StoredReviewCase c) {
    VisitId visit = VisitId.of(c.getVisitId());
    Receipt receipt = receipts.current(visit).orElseThrow().receipt();
    VisitTruth t = truth.get(receipt.credential().reveal());
    Map<Sku, Integer> left = t == null ? counts(receipt.items()) : counts(t);
    ResolveReviewRequest.Builder request = ResolveReviewRequest.newBuilder().setVisitId(visit.value())
        .setReviewer(REVIEWER).setNote("checked against the video");
    int changed = 0;
    for (int i = 0; i < receipt.items().size(); i++) {
      LineItem line = receipt.items().get(i);
      int wanted = left.getOrDefault(line.sku(), 0);
      LineDecision.Builder d = LineDecision.newBuilder().setLineIndex(i);
      if (wanted == 0) {
        d.setDelete(LineDecision.Delete.getDefaultInstance());
        changed++;
      } else if (wanted >= line.quantity()) {
        d.setConfirm(LineDecision.Confirm.getDefaultInstance());
        left.put(line.sku(), wanted - line.quantity());
      } else {
        d.setChange(LineDecision.Change.newBuilder().setQuantity(wanted));
        left.put(line.sku(), 0);
        changed++;
      }
      request.addDecisions(d);
    }
    if (c.getKind() == ReviewKind.HELD_RECEIPT) {
      for (Map.Entry<Sku, Integer> add : left.entrySet()) {
        if (add.getValue() > 0 && layout.product(add.getKey()).isPresent()) {
          request.addAddLines(AddLine.newBuilder().setSku(add.getKey().value()).setQuantity(add.getValue()));
          changed++;
        }
      }
    }
    try {
      StoredReviewCase claimed = desk.claim(visit, REVIEWER, Duration.ofMinutes(15));
      desk.resolve(request.setLeaseId(claimed.getLeaseId()).build());
      return changed;
    } catch (ReviewException e) {
      return -1;
    }
  }

  /** The first line charging more units than the party took, and by how many; empty if none. */
  private static int[] firstOvercharged(Receipt receipt, VisitTruth t) {
    Map<Sku, Integer> left = counts(t);
    for (int i = 0; i < receipt.items().size(); i++) {
      LineItem line = receipt.items().get(i);
      int truthLeft = left.getOrDefault(line.sku(), 0);
      if (line.quantity() > truthLeft) {
        return new int[] {i, line.quantity() - truthLeft};
      }
      left.put(line.sku(), truthLeft - line.quantity());
    }
    return new int[0];
  }

  private static Map<Sku, Integer> counts(VisitTruth t) {
    Map<Sku, Integer> counts = new TreeMap<>();
    for (SkuQuantity q : t.items()) {
      counts.merge(q.sku(), q.quantity(), Integer::sum);
    }
    return counts;
  }

  private static Map<Sku, Integer> counts(List<LineItem> items) {
    Map<Sku, Integer> counts = new TreeMap<>();
    for (LineItem item : items) {
      counts.merge(item.sku(), item.quantity(), Integer::sum);
    }
    return counts;
  }

  private void idle() throws InterruptedException {
    if (!payments.awaitIdle(Duration.ofMinutes(2))) {
      throw new IllegalStateException("payments did not finish within 2 minutes");
    }
  }
}
