package dev.jwo.payments.restricted;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.Product;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitListener;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.RestrictionRules;
import dev.jwo.payments.StaffCheckSettings;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.HeldOutcome;
import dev.jwo.payments.v1.ReceiptLine;
import dev.jwo.payments.v1.RestrictedLine;
import dev.jwo.payments.v1.StaffCheck;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Restricted items per the store's {@link RestrictionRules}. A party whose credential carries a verified age
 * ({@link #recordVerifiedAge}, table {@value #AGES}, keyed by the holder's keyed subject, {@link Subjects}) old enough takes them
 * freely. Otherwise taking one ({@link #taken}) raises a staff check (table {@value #CHECKS}, one per visit), told
 * to subscribers such as staff devices, and the visit's charged receipt waits ({@link #settle} holds the outcome
 * in the check's row) until staff resolve it: approved, the outcome is settled as decided; refused, the restricted
 * items stayed in the store and are left off. The check names the shopper by the keyed subject only, never the
 * credential, also while a receipt waits in it. A visit held for review goes to the review desk as usual; the receipt
 * its reviewer resolves is charged through {@link #settleReviewed}, which waits for the check the same way. Counted in {@code jwo.restricted.checks{outcome}}. Thread-safe.
 */
@Singleton
public final class RestrictedItems implements VisitSettlement, VisitListener {
  public static final String AGES = "verified_ages";
  public static final String CHECKS = "staff_checks";

  private final StoreLayout layout;
  private final RestrictionRules rules;
  private final VisitPayments payments;
  private final KeyedTable ages;
  private final KeyedTable checks;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Subjects subjects;
  private final ReceiptBook receipts;
  private final Map<VisitId, Admission> admissions = new ConcurrentHashMap<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final boolean holdReceipts;

  @Inject
  public RestrictedItems(StoreLayout layout, RestrictionRules rules, StaffCheckSettings settings,
      VisitPayments payments, StoreStorage storage, Clock clock, MeterRegistry registry, Subjects subjects,
      ReceiptBook receipts) {
    this.subjects = subjects;
    this.receipts = receipts;
    this.holdReceipts = settings.receiptsWait();
    this.layout = layout;
    this.rules = rules;
    this.payments = payments;
    this.ages = storage.table(AGES);
    this.checks = storage.table(CHECKS);
    this.clock = clock;
    this.registry = registry;
  }

  @Override
  public void visitStarted(Admission admission) {
    admissions.put(admission.visitId(), admission);
  }

  @Override
  public void visitEnded(Admission admission, long exitTs) {
    admissions.remove(admission.visitId());
  }

  /** The credential a visit in the store was admitted with. */
  public Optional<Credential> credentialOf(VisitId visit) {
    return Optional.ofNullable(admissions.get(visit)).map(Admission::credential);
  }

  /**
   * Records the age the shopper's app verified for {@code credential}.
   *
   * @throws IllegalArgumentException for an age outside 0-150 or a blank or overlong reference
   */
  public void recordVerifiedAge(Credential credential, int age, String reference) {
    if (age < 0 || age > 150 || reference.isBlank() || reference.length() > 200) {
      throw new IllegalArgumentException("a verified age is 0-150 years with the verifier's reference (1-200"
          + " characters)");
    }
    ages.put(subjects.of(credential), new VerifiedAge(age, reference, clock.millis()).toBytes(),
        KeyedTable.ANY_VERSION);
  }

  /** The verified age the credential carries, if any (kept {@link VerifiedAgeRecords#KEPT_FOR} after it was verified). */
  public Optional<Integer> verifiedAge(Credential credential) {
    return ages.get(subjects.of(credential)).map(v -> VerifiedAge.parse(v.value()).age());
  }

  /**
   * The visit's cart now holds {@code skus} (as of event time {@code ts}): raises or extends its staff check for
   * each restricted one its credential's verified age does not clear.
   */
  public void taken(VisitId visit, Collection<Sku> skus, long ts) {
    Admission admission = admissions.get(visit);
    if (admission != null) {
      check(admission, skus, ts);
    }
  }

  /** Raises or extends the check; returns it if the visit has one (pending or resolved). */
  private synchronized Optional<StaffCheck> check(Admission admission, Collection<Sku> skus, long ts) {
    return check(admission.visitId(), admission.credential(), skus, ts);
  }

  private synchronized Optional<StaffCheck> check(VisitId visit, Credential credential, Collection<Sku> skus,
      long ts) {
    Optional<StaffCheck> existing = get(visit);
    List<RestrictedLine> needed = new ArrayList<>();
    Optional<Integer> age = verifiedAge(credential);
    for (Sku sku : skus) {
      Optional<Product> product = layout.product(sku);
      if (product.isEmpty() || existing.map(c -> c.getItemsList().stream()
          .anyMatch(l -> l.getSku().equals(sku.value()))).orElse(false)) {
        continue;
      }
      for (RestrictionRules.Restriction r : rules.restrictionsOf(product.get(), layout.jurisdiction())) {
        boolean cleared = r.minimumAge() > 0 && age.isPresent() && age.get() >= r.minimumAge();
        if (!cleared) {
          needed.add(RestrictedLine.newBuilder().setSku(sku.value()).setName(product.get().name())
              .setRule(r.rule()).setMinimumAge(r.minimumAge()).build());
          break;
        }
      }
    }
    if (needed.isEmpty()) {
      return existing;
    }
    StaffCheck check = existing.map(c -> c.toBuilder().addAllItems(needed).setState(StaffCheck.State.PENDING)
            .clearResolvedBy().clearResolvedAtMs().build())
        .orElseGet(() -> StaffCheck.newBuilder().setVisitId(visit.value())
            .setCredentialPseudonym(subjects.of(credential)).setRaisedTsMs(ts)
            .setState(StaffCheck.State.PENDING).addAllItems(needed).build());
    if (existing.isEmpty()) {
      registry.counter("jwo.restricted.checks", "outcome", "raised").increment();
    }
    save(check);
    return Optional.of(check);
  }

  @Override
  public void settle(VisitOutcome outcome) {
    StaffCheck held;
    synchronized (this) {
      Optional<StaffCheck> check = outcome.decision() == ReceiptStatus.CHARGED
          ? check(outcome.admission(), outcome.items().stream().map(LineItem::sku).toList(),
              outcome.exitTs() == null ? outcome.decidedTs() : outcome.exitTs())
          : get(outcome.admission().visitId());
      if (!holdReceipts || check.isEmpty() || outcome.decision() != ReceiptStatus.CHARGED
          || check.get().getState() != StaffCheck.State.PENDING) {
        held = null;
      } else {
        held = check.get().toBuilder().setReceiptWaiting(true).setHeld(hold(outcome)).build();
        save(held);
        registry.counter("jwo.restricted.checks", "outcome", "receipt_waiting").increment();
      }
    }
    if (held == null) {
      payments.settle(resolved(outcome, get(outcome.admission().visitId())));
    }
  }

  /**
   * Charges a receipt a reviewer resolved (status {@link ReceiptStatus#CHARGED}, already the visit's current
   * receipt) as a checkout's outcome is charged: restricted items in it that the credential's verified age does not
   * clear raise or extend the visit's staff check, and while that check is pending the charge waits for it; staff
   * who refused the items leave them off. Completes when the payment is done, queued or waiting for staff.
   */
  public Future<?> settleReviewed(Receipt resolved) {
    Optional<StaffCheck> check;
    synchronized (this) {
      check = check(resolved.visitId(), resolved.credential(),
          resolved.items().stream().map(LineItem::sku).toList(), clock.millis());
      if (holdReceipts && check.isPresent() && check.get().getState() == StaffCheck.State.PENDING) {
        save(check.get().toBuilder().setReceiptWaiting(true).setReviewedWaiting(true).build());
        registry.counter("jwo.restricted.checks", "outcome", "receipt_waiting").increment();
        return CompletableFuture.completedFuture(null);
      }
    }
    return payments.settleReviewed(afterCheck(resolved, check));
  }

  /** A reviewed receipt to charge after its check: as resolved, less the restricted items staff refused. */
  private Receipt afterCheck(Receipt resolved, Optional<StaffCheck> check) {
    if (check.isEmpty() || check.get().getState() != StaffCheck.State.REFUSED) {
      return resolved;
    }
    List<String> refused = check.get().getItemsList().stream().map(RestrictedLine::getSku).toList();
    List<LineItem> kept = resolved.items().stream().filter(i -> !refused.contains(i.sku().value())).toList();
    if (kept.size() == resolved.items().size()) {
      return resolved;
    }
    Receipt less = new Receipt(resolved.visitId(), resolved.credential(), resolved.status(), kept,
        receipts.total(kept), resolved.exitTs(), resolved.finalizedTs(), resolved.reasons(),
        resolved.paymentReference());
    receipts.amend(less, "restricted items left off: refused by staff " + check.get().getResolvedBy());
    return less;
  }

  /**
   * Resolves the visit's pending check as {@code staff}; a receipt waiting for it is then settled.
   *
   * @throws IllegalArgumentException without a check (NOT_FOUND over gRPC)
   * @throws IllegalStateException when it is already resolved
   */
  public StaffCheck resolve(VisitId visit, boolean approved, String staff, String note) {
    StaffCheck done;
    synchronized (this) {
      StaffCheck check = get(visit).orElseThrow(() -> new IllegalArgumentException("visit " + visit
          + " has no staff check"));
      if (check.getState() != StaffCheck.State.PENDING) {
        throw new IllegalStateException("the staff check of visit " + visit + " was already "
            + check.getState().name().toLowerCase(java.util.Locale.ROOT) + " by " + check.getResolvedBy());
      }
      done = check.toBuilder().setState(approved ? StaffCheck.State.APPROVED : StaffCheck.State.REFUSED)
          .setResolvedBy(staff).setResolvedAtMs(clock.millis()).setNote(note).setReceiptWaiting(false)
          .setReviewedWaiting(false).clearHeld().build();
      save(done);
      registry.counter("jwo.restricted.checks", "outcome", approved ? "approved" : "refused").increment();
      if (check.hasHeld()) {
        payments.settle(resolved(outcome(check), Optional.of(done)));
      } else if (check.getReviewedWaiting() && receipts.current(visit).isPresent()) {
        // Charged on the payments' own thread; a failure stays in the visit's payment state, as for any charge.
        Future<?> unused = payments.settleReviewed(
            afterCheck(receipts.current(visit).orElseThrow().receipt(), Optional.of(done)));
      }
    }
    return done;
  }

  /** The outcome to charge after a check: as decided, less the restricted items if staff refused them. */
  private VisitOutcome resolved(VisitOutcome outcome, Optional<StaffCheck> check) {
    if (check.isEmpty() || check.get().getState() != StaffCheck.State.REFUSED) {
      return outcome;
    }
    List<String> refused = check.get().getItemsList().stream().map(RestrictedLine::getSku).toList();
    List<LineItem> kept = outcome.items().stream().filter(i -> !refused.contains(i.sku().value())).toList();
    return new VisitOutcome(outcome.admission(), outcome.decision(), kept, outcome.exitTs(), outcome.decidedTs(),
        outcome.reasons());
  }

  /** The visit's check, if any. */
  public Optional<StaffCheck> get(VisitId visit) {
    return checks.get(visit.value()).map(v -> parse(visit.value(), v));
  }

  /** Every check, oldest first. */
  public List<StaffCheck> all() {
    List<StaffCheck> all = new ArrayList<>();
    for (KeyedValue row : checks.scan("")) {
      all.add(parse(row.key(), row.value()));
    }
    all.sort(Comparator.comparingLong(StaffCheck::getRaisedTsMs).thenComparing(StaffCheck::getVisitId));
    return all;
  }

  /**
   * The checks matching {@code filter} so far, then each one raised or changed later (on the thread that changed
   * it; the consumer must not block), with nothing missed in between. Held outcomes are never given out.
   *
   * @return cancels the subscription
   */
  public synchronized Runnable subscribe(Predicate<StaffCheck> filter, Consumer<StaffCheck> consumer) {
    Subscriber subscriber = new Subscriber(filter, consumer);
    all().stream().map(c -> c.toBuilder().clearHeld().build()).filter(filter).forEach(consumer);
    subscribers.add(subscriber);
    return () -> {
      synchronized (this) {
        subscribers.remove(subscriber);
      }
    };
  }

  private record Subscriber(Predicate<StaffCheck> filter, Consumer<StaffCheck> consumer) {}

  private void save(StaffCheck check) {
    checks.put(check.getVisitId(), check.toByteArray(), KeyedTable.ANY_VERSION);
    StaffCheck shown = check.toBuilder().clearHeld().build();
    for (Subscriber s : List.copyOf(subscribers)) {
      if (s.filter.test(shown)) {
        s.consumer.accept(shown);
      }
    }
  }

  private static HeldOutcome hold(VisitOutcome o) {
    HeldOutcome.Builder b = HeldOutcome.newBuilder().setEntryTsMs(o.admission().ts())
        .setGateId(o.admission().gate().value())
        .setPartySize(o.admission().partySize()).setDecision(o.decision().name())
        .setDecidedTsMs(o.decidedTs()).addAllReasons(o.reasons());
    if (o.exitTs() != null) {
      b.setExitTsMs(o.exitTs());
    }
    for (LineItem item : o.items()) {
      b.addLines(ReceiptLine.newBuilder().setSku(item.sku().value()).setQuantity(item.quantity())
          .setUnitPrice(SensorEventProtos.toProto(item.unitPrice())));
    }
    return b.build();
  }

  /**
   * The outcome a check held, to charge now. The check keeps no credential (only its keyed subject): the visit's
   * payment state, which placed the hold, supplies it; a row written by an earlier release still carries it.
   */
  private VisitOutcome outcome(StaffCheck check) {
    HeldOutcome h = check.getHeld();
    VisitId visit = VisitId.of(check.getVisitId());
    Credential credential = !h.getCredential().isEmpty() ? Credential.of(h.getCredential())
        : payments.credential(visit).orElse(Credential.erasedTo(check.getCredentialPseudonym()));
    Admission admission = new Admission(visit, h.getEntryTsMs(), GateId.of(h.getGateId()), credential,
        h.getPartySize(), null);
    List<LineItem> items = new ArrayList<>();
    for (ReceiptLine line : h.getLinesList()) {
      Money price = SensorEventProtos.fromProto(line.getUnitPrice());
      items.add(new LineItem(Sku.of(line.getSku()), line.getQuantity(), price));
    }
    return new VisitOutcome(admission, ReceiptStatus.valueOf(h.getDecision()), items, h.getExitTsMs(),
        h.getDecidedTsMs(), h.getReasonsList());
  }

  private static StaffCheck parse(String key, VersionedValue value) {
    try {
      return StaffCheck.parseFrom(value.value());
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("staff check '" + key + "' cannot be read: " + e.getMessage(), false, e);
    }
  }
}
