package dev.jwo.payments.review;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.core.Money;
import dev.jwo.core.Product;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.ReceiptVersion;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.review.ReviewException.Problem;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.AddLine;
import dev.jwo.payments.v1.LineDecision;
import dev.jwo.payments.v1.ResolveReviewRequest;
import dev.jwo.payments.v1.ReviewKind;
import dev.jwo.payments.v1.StoredReviewCase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The review desk: one durable case per visit in table {@value #TABLE}, opened when a receipt is held for review
 * (or a shopper's contest goes to review), claimed by a reviewer under a lease that expires, and resolved line by
 * line. Resolving a held receipt charges the corrected cart and issues the receipt as a new version; resolving a
 * dispute refunds the difference. Every resolution is recorded in the audit chain (who, when, what changed).
 * Thread-safe; claims use the table's versions, so two desks on one database never both hold a lease.
 *
 * <p>Metrics: {@code jwo.review.pending} (open cases), {@code jwo.review.oldest.age} (seconds the oldest open case
 * has waited), {@code jwo.review.resolve.time} (from opening to resolution), tagged by kind where it applies.
 */
@Singleton
public final class ReviewDesk {
  public static final String TABLE = "review_cases";
  static final Duration DEFAULT_LEASE = Duration.ofMinutes(15);
  static final Duration MAX_LEASE = Duration.ofHours(1);
  private static final Duration SETTLE_WAIT = Duration.ofSeconds(30);
  /** Who resolved a case whose visit was closed unsettled past the store's limit. */
  public static final String CLOSED_BY = "the store: closed unsettled past its limit, nothing charged";

  private final KeyedTable cases;
  private final ReceiptBook receipts;
  private final VisitPayments payments;
  private final RestrictedItems restricted;
  private final StoreLayout layout;
  private final AuditChain audit;
  private final Clock clock;
  private final MeterRegistry registry;

  @Inject
  public ReviewDesk(
      StoreStorage storage,
      ReceiptBook receipts,
      VisitPayments payments,
      RestrictedItems restricted,
      StoreLayout layout,
      AuditChain audit,
      Clock clock,
      MeterRegistry registry) {
    this.cases = storage.table(TABLE);
    this.receipts = receipts;
    this.payments = payments;
    this.restricted = restricted;
    this.layout = layout;
    this.audit = audit;
    this.clock = clock;
    this.registry = registry;
    Gauge.builder("jwo.review.pending", this, d -> d.open().size()).register(registry);
    Gauge.builder("jwo.review.oldest.age", this, ReviewDesk::oldestAgeSeconds).baseUnit("seconds")
        .register(registry);
    receipts.addListener(this::follow);
    for (Receipt r : receipts.all()) {
      follow(r);
    }
  }

  /** Opens a case for a held receipt; closes the case of a visit closed unsettled, which nobody can charge now. */
  private void follow(Receipt r) {
    if (VisitPayments.closedUnsettled(r)) {
      closeUnsettled(r.visitId());
    } else if (r.status() == ReceiptStatus.REVIEW) {
      openHeld(r.visitId());
    }
  }

  /** Marks the visit's open case resolved by the store: the visit was closed unsettled, nothing charged. */
  private void closeUnsettled(VisitId visit) {
    Optional<VersionedValue> row = cases.get(visit.value());
    if (row.isEmpty() || parse(visit.value(), row.get().value()).getResolved()) {
      return;
    }
    StoredReviewCase closed = parse(visit.value(), row.get().value()).toBuilder().setResolved(true)
        .setResolvedBy(CLOSED_BY).setResolvedAtMs(clock.millis()).setLeaseId("").build();
    cases.put(visit.value(), closed.toByteArray(), KeyedTable.ANY_VERSION);
    registry.counter("jwo.review.closed_unsettled").increment();
  }

  /** Opens a case for a held receipt unless the visit has one already. */
  void openHeld(VisitId visit) {
    if (cases.get(visit.value()).isPresent()) {
      return;
    }
    StoredReviewCase opened = StoredReviewCase.newBuilder().setVisitId(visit.value())
        .setKind(ReviewKind.HELD_RECEIPT).setOpenedAtMs(clock.millis()).build();
    try {
      cases.put(visit.value(), opened.toByteArray(), KeyedTable.ABSENT);
      registry.counter("jwo.review.opened", "kind", "held_receipt").increment();
    } catch (VersionConflictException e) {
      // opened meanwhile by another writer: keep theirs
    }
  }

  /**
   * Opens a dispute case on a charged visit.
   *
   * @throws ReviewException (CONFLICT) if the visit has an open case
   */
  void openDispute(StoredReviewCase dispute) {
    Optional<VersionedValue> existing = cases.get(dispute.getVisitId());
    if (existing.isPresent() && !parse(dispute.getVisitId(), existing.get().value()).getResolved()) {
      throw new ReviewException(Problem.CONFLICT, "visit " + dispute.getVisitId()
          + " already has an open review case; wait for it to be resolved before contesting again");
    }
    cases.put(dispute.getVisitId(), dispute.toBuilder().setKind(ReviewKind.DISPUTE).setOpenedAtMs(clock.millis())
        .build().toByteArray(), existing.map(VersionedValue::version).orElse(KeyedTable.ABSENT));
    registry.counter("jwo.review.opened", "kind", "dispute").increment();
  }

  /** The visit's case, open or resolved. */
  public Optional<StoredReviewCase> get(VisitId visit) {
    return cases.get(visit.value()).map(v -> parse(visit.value(), v.value()));
  }

  /** Open cases, oldest first. */
  public List<StoredReviewCase> open() {
    List<StoredReviewCase> open = new ArrayList<>();
    for (KeyedValue row : cases.scan("")) {
      StoredReviewCase c = parse(row.key(), row.value().value());
      if (!c.getResolved()) {
        open.add(c);
      }
    }
    open.sort(Comparator.comparingLong(StoredReviewCase::getOpenedAtMs)
        .thenComparing(StoredReviewCase::getVisitId));
    return open;
  }

  /** How many cases were resolved (durable count, over all time). */
  public int resolvedCount() {
    int n = 0;
    for (KeyedValue row : cases.scan("")) {
      if (parse(row.key(), row.value().value()).getResolved()) {
        n++;
      }
    }
    return n;
  }

  /** The visit's current receipt, the evidence a reviewer decides on. */
  public Optional<ReceiptVersion> receipt(VisitId visit) {
    return receipts.current(visit);
  }

  public long nowMs() {
    return clock.millis();
  }

  /**
   * Claims a case for {@code reviewer}, or renews the reviewer's own lease.
   *
   * @throws ReviewException NOT_FOUND without a case; CONFLICT when resolved or leased to another reviewer
   */
  public StoredReviewCase claim(VisitId visit, String reviewer, Duration lease) {
    requireReviewer(reviewer);
    if (lease.isNegative() || lease.isZero() || lease.compareTo(MAX_LEASE) > 0) {
      throw new ReviewException(Problem.INVALID, "a lease lasts from 1 s to " + MAX_LEASE.toMinutes() + " min");
    }
    VersionedValue row = cases.get(visit.value()).orElseThrow(() -> notFound(visit));
    StoredReviewCase c = parse(visit.value(), row.value());
    long now = clock.millis();
    if (c.getResolved()) {
      throw new ReviewException(Problem.CONFLICT, "the case of visit " + visit + " was resolved by "
          + c.getResolvedBy() + "; nothing to claim");
    }
    boolean mine = c.getClaimedBy().equals(reviewer);
    if (!mine && !c.getClaimedBy().isEmpty() && c.getLeaseUntilMs() > now) {
      throw new ReviewException(Problem.CONFLICT, "the case of visit " + visit + " is claimed by "
          + c.getClaimedBy() + " for another " + (c.getLeaseUntilMs() - now + 999) / 1000 + " s");
    }
    StoredReviewCase claimed = c.toBuilder().setClaimedBy(reviewer).setLeaseUntilMs(now + lease.toMillis())
        .setLeaseId(mine && c.getLeaseUntilMs() > now ? c.getLeaseId() : UUID.randomUUID().toString()).build();
    try {
      cases.put(visit.value(), claimed.toByteArray(), row.version());
    } catch (VersionConflictException e) {
      throw new ReviewException(Problem.CONFLICT, "the case of visit " + visit
          + " changed while it was being claimed; list it again and retry");
    }
    return claimed;
  }

  /**
   * Resolves a claimed case line by line; see {@code ReviewService.ResolveReview} for the rules.
   *
   * @return the resolved case and the receipt as issued
   */
  public synchronized Resolution resolve(ResolveReviewRequest request) {
    requireReviewer(request.getReviewer());
    VisitId visit = visitId(request.getVisitId());
    VersionedValue row = cases.get(visit.value()).orElseThrow(() -> notFound(visit));
    StoredReviewCase c = parse(visit.value(), row.value());
    long now = clock.millis();
    if (c.getResolved()) {
      throw new ReviewException(Problem.CONFLICT, "the case of visit " + visit + " was already resolved by "
          + c.getResolvedBy());
    }
    if (!c.getClaimedBy().equals(request.getReviewer()) || !c.getLeaseId().equals(request.getLeaseId())
        || c.getLeaseUntilMs() <= now) {
      throw new ReviewException(Problem.CONFLICT, "resolving needs a valid lease: claim the case of visit " + visit
          + " first (a lease that expired must be claimed again)");
    }
    Receipt before = receipts.current(visit).orElseThrow(() -> notFound(visit)).receipt();
    Plan plan = plan(c, before, request);
    for (Map.Entry<VisitId, List<LineItem>> move : plan.moves.entrySet()) {
      Receipt target = receipts.current(move.getKey()).orElseThrow().receipt();
      List<LineItem> items = new ArrayList<>(target.items());
      items.addAll(move.getValue());
      receipts.amend(withItems(target, items, target.status(), target.reasons()),
          "lines moved from visit " + visit + " by reviewer " + request.getReviewer());
    }
    Receipt after;
    String changes = describe(before.items(), plan.items);
    if (c.getKind() == ReviewKind.DISPUTE) {
      Money refund = before.total().minus(total(plan.items));
      receipts.amend(withItems(before, plan.items, before.status(), before.reasons()),
          refund.isZero() ? "dispute " + c.getDisputeId() + " rejected by reviewer " + request.getReviewer()
              : "dispute " + c.getDisputeId() + " resolved by reviewer " + request.getReviewer() + ": refund of "
                  + refund);
      if (!refund.isZero()) {
        await(payments.refund(visit, c.getDisputeId(), refund));
      }
      after = receipts.current(visit).orElseThrow().receipt();
    } else {
      Receipt resolved = withItems(before, plan.items, ReceiptStatus.CHARGED, List.of());
      receipts.amend(resolved, "resolved by reviewer " + request.getReviewer());
      await(restricted.settleReviewed(resolved));
      after = receipts.current(visit).orElseThrow().receipt();
    }
    StoredReviewCase done = c.toBuilder().setResolved(true).setResolvedBy(request.getReviewer())
        .setResolvedAtMs(now).setLeaseId("").build();
    cases.put(visit.value(), done.toByteArray(), KeyedTable.ANY_VERSION);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("visit", visit.value());
    details.put("kind", c.getKind().name());
    details.put("reviewer", request.getReviewer());
    details.put("changes", changes);
    details.put("total_before", before.total().toString());
    details.put("total_after", total(plan.items).toString());
    if (!plan.moves.isEmpty()) {
      details.put("moved_to", String.join(",", plan.moves.keySet().stream().map(VisitId::value).toList()));
    }
    if (!request.getNote().isBlank()) {
      details.put("note", request.getNote());
    }
    audit.append(AuditType.REVIEW_RESOLVED, now, before.credential(), details);
    Timer.builder("jwo.review.resolve.time").tag("kind", c.getKind().name().toLowerCase(Locale.ROOT))
        .register(registry).record(Math.max(0, now - c.getOpenedAtMs()), TimeUnit.MILLISECONDS);
    return new Resolution(done, after);
  }

  /**
   * Waits for payment work asked for by a resolution; a payment that takes longer continues on its worker (or in
   * the retry queue) and the receipt shows where it stands.
   */
  static <T> Optional<T> await(Future<T> work) {
    try {
      return Optional.ofNullable(work.get(SETTLE_WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  /** A resolved case and the receipt issued for it. */
  public record Resolution(StoredReviewCase resolved, Receipt receipt) {}

  private record Plan(List<LineItem> items, Map<VisitId, List<LineItem>> moves) {}

  private Plan plan(StoredReviewCase c, Receipt before, ResolveReviewRequest request) {
    int lines = before.items().size();
    LineDecision[] byLine = new LineDecision[lines];
    for (LineDecision d : request.getDecisionsList()) {
      if (d.getLineIndex() < 0 || d.getLineIndex() >= lines) {
        throw new ReviewException(Problem.INVALID, "line_index " + d.getLineIndex() + " is not a line of the receipt"
            + " (it has " + lines + ")");
      }
      if (byLine[d.getLineIndex()] != null) {
        throw new ReviewException(Problem.INVALID, "line " + d.getLineIndex() + " has more than one decision");
      }
      if (d.getActionCase() == LineDecision.ActionCase.ACTION_NOT_SET) {
        throw new ReviewException(Problem.INVALID, "line " + d.getLineIndex()
            + " needs an action: confirm, change, move or delete");
      }
      byLine[d.getLineIndex()] = d;
    }
    List<LineItem> items = new ArrayList<>();
    Map<VisitId, List<LineItem>> moves = new LinkedHashMap<>();
    for (int i = 0; i < lines; i++) {
      LineDecision d = byLine[i];
      if (d == null) {
        throw new ReviewException(Problem.INVALID, "line " + i + " (" + before.items().get(i).sku()
            + ") has no decision; every line needs confirm, change, move or delete");
      }
      LineItem line = before.items().get(i);
      switch (d.getActionCase()) {
        case CONFIRM -> items.add(line);
        case CHANGE -> {
          Sku sku = d.getChange().getSku().isEmpty() ? line.sku() : product(d.getChange().getSku()).sku();
          int quantity = d.getChange().getQuantity() == 0 ? line.quantity() : quantity(d.getChange().getQuantity());
          Money price = sku.equals(line.sku()) ? line.unitPrice() : product(sku.value()).price();
          items.add(new LineItem(sku, quantity, price));
        }
        case MOVE -> {
          if (c.getKind() == ReviewKind.DISPUTE) {
            throw new ReviewException(Problem.INVALID, "a line of a charged receipt cannot be moved; delete it "
                + "(refunding it) instead");
          }
          VisitId target = visitId(d.getMove().getVisitId());
          if (target.equals(VisitId.of(c.getVisitId()))) {
            throw new ReviewException(Problem.INVALID, "line " + i + " cannot be moved to its own visit");
          }
          Optional<StoredReviewCase> targetCase = get(target);
          Optional<ReceiptVersion> targetReceipt = receipts.current(target);
          if (targetCase.isEmpty() || targetCase.get().getResolved()
              || targetCase.get().getKind() != ReviewKind.HELD_RECEIPT || targetReceipt.isEmpty()
              || targetReceipt.get().receipt().status() != ReceiptStatus.REVIEW) {
            throw new ReviewException(Problem.CONFLICT, "visit " + target + " is not held for review; a line can"
                + " only be moved to a visit whose receipt is not issued yet");
          }
          moves.computeIfAbsent(target, t -> new ArrayList<>()).add(line);
        }
        case DELETE -> { }
        default -> throw new ReviewException(Problem.INVALID, "line " + i + " has an unknown action");
      }
    }
    for (AddLine add : request.getAddLinesList()) {
      Product product = product(add.getSku());
      items.add(new LineItem(product.sku(), quantity(add.getQuantity()), product.price()));
    }
    if (c.getKind() == ReviewKind.DISPUTE && total(items).compareTo(before.total()) > 0) {
      throw new ReviewException(Problem.CONFLICT, "resolving a dispute cannot charge more than the "
          + before.total() + " already captured; the new total would be " + total(items));
    }
    return new Plan(items, moves);
  }

  private Product product(String sku) {
    if (sku.isBlank()) {
      throw new ReviewException(Problem.INVALID, "sku is required");
    }
    return layout.product(Sku.of(sku)).orElseThrow(() -> new ReviewException(Problem.INVALID,
        "product '" + sku + "' is not in the store's catalog"));
  }

  private static int quantity(int quantity) {
    if (quantity < 1 || quantity > 1_000) {
      throw new ReviewException(Problem.INVALID, "quantity must be between 1 and 1000, was " + quantity);
    }
    return quantity;
  }

  private Money total(List<LineItem> items) {
    return receipts.total(items);
  }

  private Receipt withItems(Receipt r, List<LineItem> items, ReceiptStatus status, List<String> reasons) {
    return new Receipt(r.visitId(), r.credential(), status, items, total(items), r.exitTs(), r.finalizedTs(),
        reasons, r.paymentReference());
  }

  private static String describe(List<LineItem> before, List<LineItem> after) {
    return summary(before) + " -> " + summary(after);
  }

  private static String summary(List<LineItem> items) {
    if (items.isEmpty()) {
      return "(none)";
    }
    return String.join(",", items.stream().map(i -> i.sku().value() + "x" + i.quantity()).toList());
  }

  private long oldestAgeSeconds() {
    List<StoredReviewCase> open = open();
    return open.isEmpty() ? 0 : Math.max(0, (clock.millis() - open.get(0).getOpenedAtMs()) / 1000);
  }

  private static VisitId visitId(String value) {
    if (value.isBlank()) {
      throw new ReviewException(Problem.INVALID, "visit_id is required");
    }
    try {
      return VisitId.of(value);
    } catch (IllegalArgumentException e) {
      throw new ReviewException(Problem.INVALID, "visit_id is not a visit id: " + e.getMessage());
    }
  }

  private static void requireReviewer(String reviewer) {
    if (reviewer.isBlank() || reviewer.length() > 128) {
      throw new ReviewException(Problem.INVALID, "reviewer is required (at most 128 characters)");
    }
  }

  private static ReviewException notFound(VisitId visit) {
    return new ReviewException(Problem.NOT_FOUND, "visit " + visit + " has no review case");
  }

  static StoredReviewCase parse(String key, byte[] bytes) {
    try {
      return StoredReviewCase.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("review case '" + key + "' cannot be read: " + e.getMessage(), false, e);
    }
  }
}
