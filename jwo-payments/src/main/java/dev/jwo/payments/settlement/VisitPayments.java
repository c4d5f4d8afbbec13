package dev.jwo.payments.settlement;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.core.Credential;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.VersionConflictException;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.GateId;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.AdmissionDecision;
import dev.jwo.core.visit.AdmissionHold;
import dev.jwo.core.visit.AdmissionRefusedException;
import dev.jwo.core.visit.AdmissionRefusedException.Reason;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.OfflineEntryPolicy;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentScheduler;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import dev.jwo.payments.v1.PaymentState;
import dev.jwo.payments.v1.PaymentState.Stage;
import dev.jwo.payments.v1.StoredEntryHold;
import dev.jwo.payments.v1.StoredRefund;
import dev.jwo.payments.v1.StoredUnansweredHold;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays for visits with a per-visit state machine kept in the {@code payments} table ({@link PaymentState}):
 * {@code HOLD_PENDING -> HELD} at entry (or {@code HOLD_DECLINED}); at checkout {@code HELD -> INCREMENT_PENDING ->
 * HELD} when the cart outgrew the hold, then {@code CAPTURE_PENDING -> CAPTURED}, or {@code VOID_PENDING -> VOIDED}
 * for an empty cart; {@code FAILED} (with the reason) when the card is declined or the provider refuses. A visit
 * held for review keeps its hold until the review settles it.
 *
 * <p>Each stage is written before its provider call, and every call carries a key derived from the visit and the
 * stage ({@code <visit>/authorize}, {@code /increment}, {@code /capture}, {@code /void}), so a call repeated after a
 * timeout or a restart is recognised by the processor instead of charging again. A retriable failure leaves the
 * visit in its pending stage with the time of the next attempt: that row is the durable queue. Retries back off
 * exponentially with jitter ({@link PaymentSettings#backoff}) on the injected {@link PaymentScheduler} and
 * {@link Clock}; pending rows are picked up again when the server starts; a call still failing
 * {@link PaymentSettings#giveUpAfter()} after its first failure marks the visit failed. A visit charged while its
 * capture is queued gets a receipt at once (charged, with the reason "payment queued") that is completed when the
 * capture succeeds, or held for review if it fails for good.
 *
 * <p>The raw credential is kept in the row (and in the visit's receipts) only while it may still be needed: once the
 * payment is final (captured, refunded, voided or failed) and {@link PaymentSettings#credentialRetention()} has
 * passed since the visit was settled, on the store's event time, it is replaced by the person's keyed subject
 * ({@link Credential#erasedTo}), unless a legal hold covers the person, and a {@link AuditType#CREDENTIAL_ERASED}
 * record is appended. Refunds and disputes go on working afterwards: they need only the capture id. The visit's
 * other records ({@link VisitRecords}: its cart ledger, the input journal's sealed credential) are deleted at the
 * same time, each deletion audited ({@link AuditType#RECORDS_DELETED}); the records of an entry for which no payment
 * was ever made (the pipeline rejected it) are deleted {@link #ORPHAN_AFTER} after it. Records kept for a fixed time
 * after each was made ({@link TimedRecords}: incidents, verified ages) are deleted on the same daily sweep.
 *
 * <p>A visit not settled within {@link PaymentSettings#unsettledLimit()} of its entry (a review never resolved, a
 * visit that never ended) is closed ({@link AuditType#VISIT_CLOSED}): its hold is released, nothing is charged, its
 * receipt (if it has one) says so ({@link #closedUnsettled}) and its review case is closed; having nothing to
 * dispute, its raw credential and other records are erased at once, the same audited way, unless a legal hold
 * covers the person.
 *
 * <p>A hold asked for at the gate ({@link #beforeAdmission}) that got no answer may have been placed: it is kept in
 * table {@value #UNANSWERED_HOLDS} and asked again, with the same key and amount, from the retry queue until the
 * processor answers; then it is voided for a party that did not come in, becomes the gate's hold while its party's
 * entry is not processed yet, or the hold of the visit let in without one. Times of the holds kept for admissions
 * are the store's event time, as the sweep that releases them counts.
 *
 * <p>Payment work runs on one worker thread, in the order it was asked for, so the pipeline never waits for a
 * processor.
 */
@Singleton
public final class VisitPayments implements VisitSettlement, SensorEventHandler, AdmissionHold, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VisitPayments.class);
  static final String TABLE = "payments";
  static final String REFUNDS = "refunds";
  /** Holds placed before their party was admitted, until the visit takes them over ({@link StoredEntryHold}). */
  static final String ENTRY_HOLDS = "entry_holds";
  /** Authorizations asked for at the gate that got no answer, until the processor answers ({@link StoredUnansweredHold}). */
  static final String UNANSWERED_HOLDS = "unanswered_holds";
  static final String OVER_CAP_REASON = "admitted without a hold: ";
  static final String QUEUED_REASON = "payment queued: ";
  static final String FAILED_REASON = "the payment could not be completed: ";
  static final String CLOSED_REASON = "closed unsettled: ";
  /** How long, in event time, a credential due for erasure but under a legal hold waits before it is looked at again. */
  public static final Duration HOLD_RECHECK = Duration.ofDays(1);
  /**
   * How long after its entry, in event time, a visit's records are kept when no payment was ever made for it (an entry
   * the pipeline rejected), and how often such records are looked for.
   */
  public static final Duration ORPHAN_AFTER = Duration.ofDays(1);

  private final StoreLayout layout;
  private final PaymentProvider provider;
  private final PaymentSettings settings;
  private final ReceiptBook receipts;
  private final KeyedTable states;
  private final KeyedTable refunds;
  private final MeterRegistry registry;
  private final Clock clock;
  private final PaymentScheduler scheduler;
  private final ExportGuard exports;
  private final AuditChain audit;
  private final RetentionSchedule retention;
  private final OfflineEntryPolicy offline;
  private final KeyedTable entryHolds;
  private final KeyedTable unanswered;
  /** The store's event time as the pipeline last told this stage; {@code Long.MIN_VALUE} before any event. */
  private final AtomicLong eventTime = new AtomicLong(Long.MIN_VALUE);
  /** Settled visits whose payment is final and whose records are still kept, by when they are due for erasure. */
  private final NavigableSet<Due> erasures = new ConcurrentSkipListSet<>();
  /** Visits not settled, by when they are due to be closed. */
  private final NavigableSet<Due> closures = new ConcurrentSkipListSet<>();
  private final Set<VisitRecords> visitRecords;
  private final Set<TimedRecords> timedRecords;
  private final AtomicBoolean erasing = new AtomicBoolean();
  private final AtomicLong nextOrphanSweep = new AtomicLong(Long.MIN_VALUE);
  private static final java.security.SecureRandom ENTRY_IDS = new java.security.SecureRandom();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("jwo-payments"));
  private final ExecutorService calls = Executors.newCachedThreadPool(daemon("jwo-payment-call"));
  private final List<Future<?>> inFlight = new ArrayList<>();
  private final AtomicInteger scheduled = new AtomicInteger();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  /** @param visitRecords the records other modules keep by visit, deleted with the visit's credential */
  public VisitPayments(
      StoreLayout layout,
      PaymentProvider provider,
      PaymentSettings settings,
      ReceiptBook receipts,
      StoreStorage storage,
      MeterRegistry registry,
      Clock clock,
      PaymentScheduler scheduler,
      ExportGuard exports,
      AuditChain audit,
      RetentionSchedule retention,
      Set<VisitRecords> visitRecords) {
    this(layout, provider, settings, receipts, storage, registry, clock, scheduler, exports, audit, retention,
        visitRecords, Set.of());
  }

  /**
   * @param visitRecords the records other modules keep by visit, deleted with the visit's credential
   * @param timedRecords the records kept for a fixed time after each was made, deleted on this schedule too
   */
  public VisitPayments(
      StoreLayout layout,
      PaymentProvider provider,
      PaymentSettings settings,
      ReceiptBook receipts,
      StoreStorage storage,
      MeterRegistry registry,
      Clock clock,
      PaymentScheduler scheduler,
      ExportGuard exports,
      AuditChain audit,
      RetentionSchedule retention,
      Set<VisitRecords> visitRecords,
      Set<TimedRecords> timedRecords) {
    this(layout, provider, settings, receipts, storage, registry, clock, scheduler, exports, audit, retention,
        visitRecords, timedRecords, OfflineEntryPolicy.NEVER);
  }

  /**
   * @param visitRecords the records other modules keep by visit, deleted with the visit's credential
   * @param timedRecords the records kept for a fixed time after each was made, deleted on this schedule too
   * @param offline whether a party is admitted without a hold when the processor cannot be reached, and up to what
   */
  @Inject
  public VisitPayments(
      StoreLayout layout,
      PaymentProvider provider,
      PaymentSettings settings,
      ReceiptBook receipts,
      StoreStorage storage,
      MeterRegistry registry,
      Clock clock,
      PaymentScheduler scheduler,
      ExportGuard exports,
      AuditChain audit,
      RetentionSchedule retention,
      Set<VisitRecords> visitRecords,
      Set<TimedRecords> timedRecords,
      OfflineEntryPolicy offline) {
    this.offline = offline;
    this.entryHolds = storage.table(ENTRY_HOLDS);
    this.unanswered = storage.table(UNANSWERED_HOLDS);
    this.visitRecords = Set.copyOf(visitRecords);
    this.timedRecords = Set.copyOf(timedRecords);
    this.layout = layout;
    this.provider = provider;
    this.settings = settings;
    this.receipts = receipts;
    this.states = storage.table(TABLE);
    this.refunds = storage.table(REFUNDS);
    this.registry = registry;
    this.clock = clock;
    this.scheduler = scheduler;
    this.exports = exports;
    this.audit = audit;
    this.retention = retention;
    registry.gauge("jwo.payments.queued", queued, Set::size);
    resumeQueued();
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.SESSIONS;
  }

  /** Every visit's payment state is kept in storage. */
  @Override
  public long needsInputSince(long ts) {
    return ts;
  }

  @Override
  public void onEvent(SensorEvent event) {
    if (event instanceof EntryEvent entry) {
      Admission admission = Admission.from(entry);
      Disclosure disclosure = disclose(admission.credential(), admission.visitId() + "/authorize", admission.ts());
      submit(() -> hold(admission, disclosure));
    }
    eraseWhenDue(event.ts());
  }

  @Override
  public void onTimeAdvanced(long ts) {
    eraseWhenDue(ts);
  }

  @Override
  public void onEndOfStream(long ts) {
    eraseWhenDue(ts);
  }

  /**
   * Erases, on the payment worker, the raw credentials due for erasure at event time {@code ts}; called by the
   * pipeline as event time advances, so a restarted server erases what fell due while it was down at its first event.
   */
  public void eraseWhenDue(long ts) {
    eventTime.accumulateAndGet(ts, Math::max);
    boolean sweep = ts >= nextOrphanSweep.get();
    if ((!isDue(erasures, ts) && !isDue(closures, ts) && !sweep) || !erasing.compareAndSet(false, true)) {
      return;
    }
    if (sweep) {
      nextOrphanSweep.set(ts + ORPHAN_AFTER.toMillis());
    }
    submit(() -> {
      erasing.set(false);
      closeDue(ts);
      eraseDue(ts);
      if (sweep) {
        deleteOrphans(ts);
        deleteTimed(ts);
      }
    });
  }

  private static boolean isDue(NavigableSet<Due> queue, long ts) {
    return !queue.isEmpty() && queue.first().dueTs() <= ts;
  }

  @Override
  public void settle(VisitOutcome outcome) {
    // Only a charged visit sends anything at checkout; one held for review is decided when its review settles it.
    Disclosure disclosure = outcome.decision() != ReceiptStatus.CHARGED ? Disclosure.NOT_ASKED
        : disclose(outcome.admission().credential(), outcome.admission().visitId() + "/checkout",
            outcome.decidedTs());
    submit(() -> complete(outcome, disclosure));
  }

  /**
   * Places the hold for a party about to be admitted through the session service, on the caller's thread within
   * {@link PaymentSettings#callTimeout()}, and keeps it in table {@value #ENTRY_HOLDS} for the visit its entry starts.
   * A declined card, a hold the processor or the export guard refuses, keep the gate closed; a processor that does
   * not answer keeps it closed too, unless the store's {@link OfflineEntryPolicy} admits parties without a hold (the
   * visit then starts {@code ADMITTED_WITHOUT_HOLD}). A hold placed for an admission not yet processed is used
   * again: claimed in storage, so that the sweep of holds no admission took over ({@link #ORPHAN_AFTER} after they
   * were placed or last claimed, in event time) keeps it. A hold being released is not used: the party is asked to
   * try again. An authorization that got no answer may still have been placed: it is kept in table
   * {@value #UNANSWERED_HOLDS} and asked again from the retry queue until the processor answers, then taken over
   * (by the party's entry hold or its visit) or voided ({@link #resolveUnanswered}).
   *
   * @throws AdmissionRefusedException when the party must not be admitted (retriable when the processor did not
   *     answer)
   */
  @Override
  public AdmissionDecision beforeAdmission(GateId gate, Credential credential) {
    String key = entryHoldKey(gate, credential);
    Optional<VersionedValue> row = entryHolds.get(key);
    long expected = KeyedTable.ABSENT;
    if (row.isPresent()) {
      StoredEntryHold earlier = parseEntryHold(key, row.get().value());
      if (earlier.getReleasing()) {
        throw new AdmissionRefusedException("a hold placed earlier on this card at gate " + gate
            + " is being released; try again", Reason.TRY_AGAIN);
      }
      if (earlier.getAdoptedBy().isEmpty()) {
        claim(key, earlier, row.get().version(), gate);
        return earlier.getKind() == StoredEntryHold.Kind.HELD ? AdmissionDecision.held(true)
            : AdmissionDecision.withoutHold(new Money(earlier.getOfflineCapMinor(), Currency.getInstance(
                earlier.getCurrency().isEmpty() ? layout.currency().getCurrencyCode() : earlier.getCurrency())));
      }
      expected = row.get().version();
    }
    long now = storeTime();
    String id = "e-" + now + "-" + gate.value() + "-" + Long.toHexString(ENTRY_IDS.nextLong() >>> 16);
    Disclosure disclosure = disclose(credential, id + "/authorize", now);
    if (!disclosure.refusal().isEmpty()) {
      registry.counter("jwo.payments.entries", "outcome", "refused").increment();
      throw new AdmissionRefusedException("the card may not be sent to the payment provider: "
          + disclosure.refusal(), Reason.REFUSED);
    }
    Money hold = new Money(settings.preAuthorizationMinor(), layout.currency());
    PaymentState asked = PaymentState.newBuilder().setVisitId(id).setCredential(credential.reveal())
        .setCredentialErased(credential.erased()).setDisclosure(disclosure.auditHash()).build();
    StoredEntryHold.Builder placed = StoredEntryHold.newBuilder().setId(id).setGate(gate.value()).setPlacedAtMs(now)
        .setCurrency(layout.currency().getCurrencyCode()).setDisclosure(disclosure.auditHash());
    AuthorizationResult result;
    try {
      result = call("authorize", asked, () -> provider.authorize(
          new AuthorizationRequest(id + "/authorize", credential, hold)));
    } catch (PaymentException e) {
      if (!e.isRetriable()) {
        registry.counter("jwo.payments.entries", "outcome", "refused").increment();
        throw new AdmissionRefusedException("the payment provider refused the hold: " + e.getMessage(),
            Reason.REFUSED);
      }
      // The processor may have placed it without answering: asked again until it answers, then taken over or voided.
      boolean admitted = offline.admitsWithoutHold();
      queueUnanswered(StoredUnansweredHold.newBuilder().setId(id).setCredential(credential.reveal())
          .setCredentialErased(credential.erased()).setAmountMinor(hold.minor())
          .setCurrency(hold.currency().getCurrencyCode()).setDisclosure(disclosure.auditHash())
          .setEntryHoldKey(admitted ? key : "").build(), String.valueOf(e.getMessage()));
      if (!admitted) {
        registry.counter("jwo.payments.entries", "outcome", "unavailable").increment();
        throw new AdmissionRefusedException("no hold could be placed on the card (" + e.getMessage()
            + ") and the store admits nobody without one; try again", Reason.TRY_AGAIN);
      }
      keep(key, placed.setKind(StoredEntryHold.Kind.WITHOUT_HOLD).setOfflineCapMinor(offline.capMinor())
          .setOfflineReason(String.valueOf(e.getMessage())).build(), expected, gate);
      registry.counter("jwo.payments.entries", "outcome", "without_hold").increment();
      log.warn("a party was admitted at gate {} without a hold (the processor did not answer); checkout charges"
          + " it up to {} minor units", gate, offline.capMinor());
      return AdmissionDecision.withoutHold(new Money(offline.capMinor(), layout.currency()));
    }
    registry.counter("jwo.payments.authorizations", "outcome", result.approved() ? "approved" : "declined")
        .increment();
    if (!result.approved()) {
      registry.counter("jwo.payments.entries", "outcome", "declined").increment();
      throw new AdmissionRefusedException("the card was declined: " + result.declineReason(), Reason.DECLINED);
    }
    keep(key, placed.setKind(StoredEntryHold.Kind.HELD).setAuthorizationId(result.authorizationId())
        .setAuthorizedMinor(result.amount().minor()).build(), expected, gate);
    registry.counter("jwo.payments.entries", "outcome", "held").increment();
    return AdmissionDecision.held(false);
  }

  /**
   * The store's event time now, as the pipeline last told this stage (the time base of the sweep that releases
   * entry holds); the store's clock before the first event (a store just opened).
   */
  private long storeTime() {
    long ts = eventTime.get();
    return ts == Long.MIN_VALUE ? clock.millis() : ts;
  }

  /**
   * Claims a hold placed earlier for an admission not yet processed, for the admission about to be made: a write
   * expecting the version read, so that the sweep, which marks a hold it releases the same way, either sees the
   * claim (and keeps the hold) or makes the claim fail (and the party is asked to try again).
   */
  private void claim(String key, StoredEntryHold earlier, long version, GateId gate) {
    try {
      entryHolds.put(key, earlier.toBuilder().setClaimedAtMs(storeTime()).build().toByteArray(), version);
      registry.counter("jwo.payments.entries", "outcome", "reused").increment();
    } catch (VersionConflictException e) {
      throw new AdmissionRefusedException("the hold placed earlier on this card at gate " + gate
          + " changed while it was being used again; try again", Reason.TRY_AGAIN);
    }
  }

  /**
   * Keeps a hold just placed, expecting the row as it was read before the processor was asked; if another admission
   * or the sweep changed it meanwhile, the new hold is released (from the queue of {@value #UNANSWERED_HOLDS}) and
   * the party asked to try again.
   */
  private void keep(String key, StoredEntryHold placed, long expected, GateId gate) {
    try {
      entryHolds.put(key, placed.toByteArray(), expected);
    } catch (VersionConflictException e) {
      if (placed.getKind() == StoredEntryHold.Kind.HELD) {
        // Released from the queue, so that a release the processor does not answer is asked again.
        queueUnanswered(StoredUnansweredHold.newBuilder().setId(placed.getId())
            .setAuthorizationId(placed.getAuthorizationId()).setAmountMinor(placed.getAuthorizedMinor())
            .setCurrency(placed.getCurrency()).setDisclosure(placed.getDisclosure()).build(),
            "another admission was recorded meanwhile");
      }
      throw new AdmissionRefusedException("another admission with this card at gate " + gate
          + " was recorded meanwhile; try again", Reason.TRY_AGAIN);
    }
  }

  /** Releases, on the payment worker, the hold placed for an admission that was not recorded after all. */
  @Override
  public void notAdmitted(GateId gate, Credential credential) {
    String key = entryHoldKey(gate, credential);
    submit(() -> entryHolds.get(key).ifPresent(row -> releaseNotAdmitted(key, row.version(), 1, clock.millis())));
  }

  /**
   * Releases the hold kept at {@code key} for an admission that was not recorded, if the row is still at
   * {@code version} and no visit took it over. A release the processor does not confirm is tried again after the
   * backoff while nobody writes the row (a party asking again uses the hold instead), for
   * {@link PaymentSettings#giveUpAfter()}; the daily sweep is the fallback (also after a restart).
   */
  private void releaseNotAdmitted(String key, long version, int attempt, long firstTry) {
    Optional<VersionedValue> row = entryHolds.get(key).filter(r -> r.version() == version);
    if (row.isEmpty()) {
      return; // released, claimed or placed again meanwhile
    }
    StoredEntryHold h = parseEntryHold(key, row.get().value());
    if (!h.getAdoptedBy().isEmpty()) {
      return;
    }
    OptionalLong unconfirmed = releaseEntryHold(key, version, h);
    if (unconfirmed.isPresent() && clock.millis() - firstTry < settings.giveUpAfter().toMillis()) {
      onWorkerAfter(backoff(key, attempt),
          () -> releaseNotAdmitted(key, unconfirmed.getAsLong(), attempt + 1, firstTry));
    }
  }

  /**
   * Charges a visit whose review was resolved, for the receipt as the reviewer decided it ({@code decided} must be
   * {@link ReceiptStatus#CHARGED}). Completes when the payment is done or queued.
   */
  public Future<?> settleReviewed(Receipt decided) {
    if (decided.status() != ReceiptStatus.CHARGED) {
      throw new IllegalArgumentException("a resolved receipt is charged, not " + decided.status());
    }
    long now = clock.millis();
    Disclosure disclosure = disclose(decided.credential(), decided.visitId() + "/checkout", now);
    return track(() -> complete(decided, disclosure, now));
  }

  /**
   * Refunds {@code amount} of a captured visit, once per {@code disputeId} (the idempotency key is
   * {@code <visit>/refund/<disputeId>}). The refund is written to table {@code refunds} before the provider is
   * called; a retriable failure leaves it queued and retried like a capture.
   *
   * @return the refund as it stands when the first attempt is over
   */
  public Future<RefundRecord> refund(VisitId visit, String disputeId, Money amount) {
    return worker.submit(() -> refundNow(visit, disputeId, amount));
  }

  /**
   * Whether the visit's records were erased on their schedule (its raw credential replaced by its subject and its
   * other records deleted): its dispute window is over, and nothing more is kept of it to review.
   */
  public boolean recordsErased(VisitId visit) {
    return state(visit.value()).map(VisitPayments::erased).orElse(false);
  }

  /** Every refund of a visit, in the order they were asked for. */
  public List<RefundRecord> refunds(VisitId visit) {
    List<RefundRecord> all = new ArrayList<>();
    for (KeyedValue row : refunds.scan(visit.value() + "/")) {
      all.add(RefundRecord.of(parseRefund(row.key(), row.value().value())));
    }
    return all;
  }

  /** How many refunds were completed (durable count). */
  public int refundCount() {
    int n = 0;
    for (KeyedValue row : refunds.scan("")) {
      if (parseRefund(row.key(), row.value().value()).getStatus() == StoredRefund.Status.DONE) {
        n++;
      }
    }
    return n;
  }

  /** The visit's payment stage, if payment for it ever began. */
  public Optional<Stage> stage(VisitId visit) {
    return state(visit.value()).map(PaymentState::getStage);
  }

  /**
   * The credential the visit's payment holds: the raw one while it is kept, else its keyed subject
   * ({@link Credential#erasedTo}); empty if payment for the visit never began.
   */
  public Optional<Credential> credential(VisitId visit) {
    return state(visit.value()).map(VisitPayments::credentialOf);
  }

  /** How many visits wait in the retry queue now. */
  public int queuedCount() {
    return queued.size();
  }

  /**
   * Waits until every payment asked for so far is done, including retries queued for later.
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!awaitTasks(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return false;
      }
      synchronized (inFlight) {
        if (scheduled.get() == 0 && inFlight.stream().allMatch(Future::isDone)) {
          return true;
        }
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  /**
   * Waits until the payment work submitted so far has run (retries scheduled for later are not waited for).
   *
   * @return whether it finished within {@code timeout}
   */
  public boolean awaitTasks(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Future<?>> pending;
      synchronized (inFlight) {
        inFlight.removeIf(Future::isDone);
        pending = new ArrayList<>(inFlight);
      }
      if (pending.isEmpty()) {
        return true;
      }
      for (Future<?> f : pending) {
        try {
          f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          log.error("a payment task failed", e.getCause());
        } catch (TimeoutException e) {
          return false;
        }
      }
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    calls.shutdownNow();
  }

  private void submit(Runnable task) {
    Future<?> unused = track(task);
  }

  private Future<?> track(Runnable task) {
    Future<?> future = worker.submit(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("payment task failed; the visit's payment state is kept for a retry", e);
      }
    });
    synchronized (inFlight) {
      inFlight.removeIf(Future::isDone);
      inFlight.add(future);
    }
    return future;
  }

  /** Schedules every visit and refund left pending by an earlier run. */
  private void resumeQueued() {
    long now = clock.millis();
    for (KeyedValue row : states.scan("")) {
      PaymentState state = parse(row.key(), row.value().value());
      scheduleErasure(state);
      if (awaitsProcessor(state)) {
        queued.add(state.getVisitId());
        later(state.getVisitId(), Duration.ofMillis(Math.max(0, state.getNextAttemptMs() - now)));
      }
    }
    for (KeyedValue row : unanswered.scan("")) {
      StoredUnansweredHold u = parseUnanswered(row.key(), row.value().value());
      laterUnanswered(u.getId(), Duration.ofMillis(Math.max(0, u.getNextAttemptMs() - now)));
    }
    for (KeyedValue row : refunds.scan("")) {
      StoredRefund refund = parseRefund(row.key(), row.value().value());
      if (refund.getStatus() == StoredRefund.Status.PENDING) {
        retryRefund(VisitId.of(refund.getVisitId()), refund.getDisputeId(),
            new Money(refund.getAmountMinor(), Currency.getInstance(refund.getCurrency())), Duration.ZERO);
      }
    }
  }

  private void retryRefund(VisitId visit, String disputeId, Money amount, Duration delay) {
    onWorkerAfter(delay, () -> refundNow(visit, disputeId, amount));
  }

  private void hold(Admission admission, Disclosure disclosure) {
    String visit = admission.visitId().value();
    if (state(visit).isPresent()) {
      return;
    }
    String key = entryHoldKey(admission.gate(), admission.credential());
    Optional<VersionedValue> row = entryHolds.get(key);
    Optional<StoredEntryHold> placed = row.map(r -> parseEntryHold(key, r.value()))
        .filter(h -> !h.getReleasing() && (h.getAdoptedBy().isEmpty() || h.getAdoptedBy().equals(visit)));
    if (placed.isEmpty()) {
      advance(newState(admission.visitId(), admission.ts(), admission.credential(), disclosure));
      return;
    }
    // Taken over: marked first, so that a restart between the writes neither releases it nor places another. The
    // mark expects the version read: an admission claiming it again meanwhile only moved its claim, so read again.
    StoredEntryHold h = placed.get().toBuilder().setAdoptedBy(visit).build();
    long adopted;
    try {
      adopted = entryHolds.put(key, h.toByteArray(), row.orElseThrow().version());
    } catch (VersionConflictException e) {
      hold(admission, disclosure);
      return;
    }
    PaymentState.Builder state = PaymentState.newBuilder()
        .setVisitId(visit)
        .setAdmittedTsMs(admission.ts())
        .setCredential(admission.credential().reveal())
        .setCredentialErased(admission.credential().erased())
        .setCurrency(h.getCurrency())
        .setHoldMinor(h.getAuthorizedMinor())
        .setDisclosure(h.getDisclosure().isEmpty() ? disclosure.auditHash() : h.getDisclosure())
        .setDisclosureRefused(disclosure.refusal())
        .setEntryHold(h.getId());
    if (h.getKind() == StoredEntryHold.Kind.HELD) {
      state.setStage(Stage.HELD).setAuthorizationId(h.getAuthorizationId()).setAuthorizedMinor(h.getAuthorizedMinor());
    } else {
      state.setStage(Stage.ADMITTED_WITHOUT_HOLD).setOfflineCapMinor(h.getOfflineCapMinor())
          .setFailure("no hold at entry: " + h.getOfflineReason());
      // The gate's authorization got no answer: the visit asks again itself, from the retry queue.
      unansweredHold(h.getId()).filter(u -> u.getAuthorizationId().isEmpty()).ifPresent(u -> state
          .setUnansweredKey(u.getId() + "/authorize").setUnansweredMinor(u.getAmountMinor())
          .setAttempts(u.getAttempts()).setFirstFailureMs(u.getFirstFailureMs())
          .setNextAttemptMs(u.getNextAttemptMs()));
    }
    PaymentState taken = state.build();
    save(taken);
    if (!taken.getUnansweredKey().isEmpty()) {
      unanswered.delete(h.getId());
      queued.add(visit);
      later(visit, Duration.ofMillis(Math.max(0, taken.getNextAttemptMs() - clock.millis())));
    }
    deleteIfUnchanged(key, adopted);
  }

  /** The key of the hold placed before admitting {@code credential} at {@code gate}: names the gate and a subject. */
  private String entryHoldKey(GateId gate, Credential credential) {
    return gate.value() + "/" + audit.subjectOf(credential);
  }

  private static StoredEntryHold parseEntryHold(String key, byte[] bytes) {
    try {
      return StoredEntryHold.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new PaymentException("entry hold " + key + " cannot be read", false, e);
    }
  }

  /** Deletes an entry hold's row if nobody wrote it since {@code version}: a hold placed over it meanwhile is kept. */
  private void deleteIfUnchanged(String key, long version) {
    try {
      entryHolds.delete(key, version);
    } catch (VersionConflictException e) {
      log.debug("entry hold {} was written again; kept", key);
    }
  }

  /**
   * Releases a hold no visit took over and forgets it. It is first marked as being released, by a write expecting
   * {@code version}: if an admission claimed it since it was read, the write fails and the hold is kept for that
   * admission. A release the processor does not confirm unmarks it, and it is tried again at the next sweep.
   *
   * @return the version of the row left unmarked when the processor did not confirm the release; empty when it is
   *     released, or kept for an admission that claimed it
   */
  private OptionalLong releaseEntryHold(String key, long version, StoredEntryHold h) {
    long marked = version;
    if (!h.getReleasing()) {
      try {
        marked = entryHolds.put(key, h.toBuilder().setReleasing(true).build().toByteArray(), version);
      } catch (VersionConflictException e) {
        return OptionalLong.empty(); // claimed or taken over meanwhile
      }
    }
    if (!voidEntryHold(h)) {
      try {
        return OptionalLong.of(entryHolds.put(key, h.toBuilder().setReleasing(false).build().toByteArray(), marked));
      } catch (VersionConflictException e) {
        log.debug("entry hold {} was written again; kept", key);
        return OptionalLong.empty();
      }
    }
    deleteIfUnchanged(key, marked);
    registry.counter("jwo.payments.entries", "outcome", "released").increment();
    return OptionalLong.empty();
  }

  /** Releases an entry hold's authorization at the processor, if it has one; whether the processor confirmed it. */
  private boolean voidEntryHold(StoredEntryHold h) {
    if (h.getKind() != StoredEntryHold.Kind.HELD) {
      return true;
    }
    PaymentState asked = PaymentState.newBuilder().setVisitId(h.getId()).setDisclosure(h.getDisclosure()).build();
    try {
      call("void", asked, () -> {
        provider.release(h.getId() + "/void", h.getAuthorizationId());
        return Boolean.TRUE;
      });
      return true;
    } catch (PaymentException e) {
      log.warn("the hold of an admission that was not recorded could not be released yet: {}", e.getMessage());
      return false;
    }
  }

  /**
   * Keeps an authorization asked for at the gate that got no answer ({@code why}), or one still being resolved, and
   * asks the processor again after the backoff; gives it up when the processor has not answered
   * {@link PaymentSettings#giveUpAfter()} after the first failure (it expires at the processor unused).
   */
  private void queueUnanswered(StoredUnansweredHold u, String why) {
    long now = clock.millis();
    long first = u.getFirstFailureMs() == 0 ? now : u.getFirstFailureMs();
    if (now - first >= settings.giveUpAfter().toMillis()) {
      log.warn("gave up asking the processor about hold {} asked for at a gate (no answer over {}): {}", u.getId(),
          Duration.ofMillis(now - first), why);
      unanswered.delete(u.getId());
      registry.counter("jwo.payments.unanswered_holds", "outcome", "gave_up").increment();
      return;
    }
    int attempts = u.getAttempts() + 1;
    Duration delay = backoff(u.getId(), attempts);
    unanswered.put(u.getId(), u.toBuilder().setAttempts(attempts).setFirstFailureMs(first)
        .setNextAttemptMs(now + delay.toMillis()).setFailure(why).build().toByteArray(), KeyedTable.ANY_VERSION);
    if (u.getAttempts() == 0) {
      registry.counter("jwo.payments.unanswered_holds", "outcome", "recorded").increment();
    }
    laterUnanswered(u.getId(), delay);
  }

  private void laterUnanswered(String id, Duration delay) {
    onWorkerAfter(delay, () -> resolveUnanswered(id));
  }

  /**
   * Asks the processor again, with the same key and amount, for an authorization that got no answer at the gate,
   * and settles its answer: a declined one held nothing; an approved one becomes the gate's hold while the party's
   * entry hold still waits for its visit, and is voided when the party was refused, its entry hold was released, or
   * another hold replaced it. A visit that took the entry hold over asks itself ({@code unanswered_key}). A retriable
   * failure asks again later. Runs on the payment worker.
   */
  private void resolveUnanswered(String id) {
    Optional<StoredUnansweredHold> found = unansweredHold(id);
    if (found.isEmpty()) {
      return; // resolved, or taken over by its visit
    }
    StoredUnansweredHold u = found.get();
    Optional<StoredEntryHold> entry = u.getEntryHoldKey().isEmpty() ? Optional.empty()
        : entryHolds.get(u.getEntryHoldKey()).map(r -> parseEntryHold(u.getEntryHoldKey(), r.value()))
            .filter(h -> h.getId().equals(id));
    String visit = entry.map(StoredEntryHold::getAdoptedBy).orElse("");
    if (!visit.isEmpty() && u.getAuthorizationId().isEmpty()) {
      if (state(visit).isPresent()) {
        unanswered.delete(id); // the visit's row carries it (a restart came between the two writes)
      } else {
        queueUnanswered(u, "its visit " + visit + " is taking it over");
      }
      return;
    }
    PaymentState asked = PaymentState.newBuilder().setVisitId(id).setCredential(u.getCredential())
        .setCredentialErased(u.getCredentialErased()).setDisclosure(u.getDisclosure()).build();
    StoredUnansweredHold current = u;
    try {
      if (current.getAuthorizationId().isEmpty()) {
        Money amount = new Money(u.getAmountMinor(), Currency.getInstance(u.getCurrency()));
        AuthorizationResult r = call("authorize", asked, () -> provider.authorize(
            new AuthorizationRequest(id + "/authorize", credentialOf(asked), amount)));
        if (!r.approved()) {
          unanswered.delete(id);
          registry.counter("jwo.payments.unanswered_holds", "outcome", "declined").increment();
          return;
        }
        if (becameEntryHold(u, r)) {
          unanswered.delete(id);
          registry.counter("jwo.payments.unanswered_holds", "outcome", "held_at_gate").increment();
          return;
        }
        current = u.toBuilder().setAuthorizationId(r.authorizationId()).build();
      }
      String authorization = current.getAuthorizationId();
      call("void", asked, () -> {
        provider.release(id + "/void", authorization);
        return Boolean.TRUE;
      });
      unanswered.delete(id);
      registry.counter("jwo.payments.unanswered_holds", "outcome", "voided").increment();
    } catch (PaymentException e) {
      if (!e.isRetriable()) {
        log.warn("the processor refused to settle hold {} asked for at a gate: {}", id, e.getMessage());
        unanswered.delete(id);
        registry.counter("jwo.payments.unanswered_holds", "outcome", "refused").increment();
        return;
      }
      queueUnanswered(current, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Makes an authorization placed without an answer the hold of the party's entry hold, if that still waits for its
   * visit without a hold (written expecting the version read; an admission claiming it meanwhile is read again).
   */
  private boolean becameEntryHold(StoredUnansweredHold u, AuthorizationResult r) {
    String key = u.getEntryHoldKey();
    while (!key.isEmpty()) {
      Optional<VersionedValue> row = entryHolds.get(key);
      if (row.isEmpty()) {
        return false;
      }
      StoredEntryHold h = parseEntryHold(key, row.get().value());
      if (!h.getId().equals(u.getId()) || h.getKind() != StoredEntryHold.Kind.WITHOUT_HOLD || h.getReleasing()
          || !h.getAdoptedBy().isEmpty()) {
        return false;
      }
      try {
        entryHolds.put(key, h.toBuilder().setKind(StoredEntryHold.Kind.HELD).setAuthorizationId(r.authorizationId())
            .setAuthorizedMinor(r.amount().minor()).clearOfflineCapMinor().clearOfflineReason().build().toByteArray(),
            row.get().version());
        return true;
      } catch (VersionConflictException e) {
        log.debug("entry hold {} was claimed meanwhile; read again", key);
      }
    }
    return false;
  }

  private Optional<StoredUnansweredHold> unansweredHold(String id) {
    return unanswered.get(id).map(v -> parseUnanswered(id, v.value()));
  }

  private static StoredUnansweredHold parseUnanswered(String key, byte[] bytes) {
    try {
      return StoredUnansweredHold.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new PaymentException("unanswered hold " + key + " cannot be read", false, e);
    }
  }

  private PaymentState newState(VisitId visit, long admittedTs, Credential credential, Disclosure disclosure) {
    PaymentState state = PaymentState.newBuilder()
        .setVisitId(visit.value())
        .setAdmittedTsMs(admittedTs)
        .setStage(Stage.HOLD_PENDING)
        .setCredential(credential.reveal())
        .setCredentialErased(credential.erased())
        .setCurrency(layout.currency().getCurrencyCode())
        .setHoldMinor(settings.preAuthorizationMinor())
        .setDisclosure(disclosure.auditHash())
        .setDisclosureRefused(disclosure.refusal())
        .build();
    save(state);
    return state;
  }

  private void complete(VisitOutcome outcome, Disclosure disclosure) {
    Money total = receipts.total(outcome.items());
    Receipt decided = new Receipt(outcome.admission().visitId(), outcome.admission().credential(), outcome.decision(),
        outcome.items(), total, outcome.exitTs(), outcome.decidedTs(), outcome.reasons(), "");
    PaymentState state = state(decided.visitId().value()).orElse(null);
    if (state != null && !state.getSettled() && decided.status() == ReceiptStatus.CHARGED
        && (state.getStage() == Stage.ADMITTED_WITHOUT_HOLD || state.getStage() == Stage.OVER_OFFLINE_CAP)
        && total.minor() > state.getOfflineCapMinor()) {
      holdOverCap(state, decided);
      return;
    }
    complete(decided, disclosure, outcome.decidedTs());
  }

  /**
   * Holds for review, with nothing charged, the receipt of a visit admitted without a hold whose cart came to more
   * than the offline entry policy's cap: a reviewer decides what is charged ({@link #settleReviewed}).
   */
  private void holdOverCap(PaymentState state, Receipt decided) {
    Money cap = new Money(state.getOfflineCapMinor(), decided.total().currency());
    String why = OVER_CAP_REASON + "the cart's total of " + decided.total() + " is more than the " + cap
        + " the store charges without a hold or a reviewer; nothing was charged";
    if (state.getStage() == Stage.OVER_OFFLINE_CAP && baseReceipt(decided.visitId()).isPresent()) {
      return; // held already (the checkout seen again after a restart)
    }
    save(next(state, Stage.OVER_OFFLINE_CAP).setTargetMinor(decided.total().minor()).setFailure(why).build());
    List<String> reasons = new ArrayList<>(decided.reasons());
    reasons.add(why);
    receipts.record(new Receipt(decided.visitId(), decided.credential(), ReceiptStatus.REVIEW, decided.items(),
        decided.total(), decided.exitTs(), decided.finalizedTs(), reasons, ""));
    registry.counter("jwo.payments.over_offline_cap").increment();
  }

  /** Why the visit of {@code receipt} was held for review when it was admitted without a hold, if it was. */
  public static Optional<String> overOfflineCap(Receipt receipt) {
    if (receipt.status() != ReceiptStatus.REVIEW) {
      return Optional.empty();
    }
    return receipt.reasons().stream().filter(r -> r.startsWith(OVER_CAP_REASON)).findFirst();
  }

  private void complete(Receipt decided, Disclosure disclosure, long settledTs) {
    VisitId visitId = decided.visitId();
    String visit = visitId.value();
    PaymentState state = state(visit).orElse(null);
    if (state != null && state.getSettled()) {
      Optional<Receipt> recorded = baseReceipt(visitId);
      if (awaitsProcessor(state)) {
        queued.remove(visit);
        finish(advance(state.toBuilder().setAttempts(0).build()), recorded.or(() -> Optional.of(decided)));
      } else if (recorded.isEmpty()) {
        finish(state, Optional.of(decided)); // settled before a crash that came before its receipt was recorded
      }
      return;
    }
    if (decided.status() != ReceiptStatus.CHARGED) {
      receipts.record(decided);
      return;
    }
    if (state == null) {
      state = newState(visitId, admittedTsOf(visit), decided.credential(), disclosure);
    }
    PaymentState settled = state.toBuilder().setSettled(true).setSettledTsMs(settledTs)
        .setTargetMinor(decided.total().minor())
        .setDisclosure(disclosure.auditHash()).setDisclosureRefused(disclosure.refusal()).build();
    save(settled);
    finish(advance(settled), Optional.of(decided));
    log.debug("visit {} settled", visit);
  }

  /** Records the receipt of a settled visit once its payment is done or queued. */
  private void finish(PaymentState state, Optional<Receipt> base) {
    if (!state.getSettled() || base.isEmpty() || state.getClosedUnsettled()) {
      return;
    }
    Receipt r = base.get();
    List<String> reasons = new ArrayList<>(r.reasons());
    reasons.removeIf(reason -> reason.startsWith(QUEUED_REASON));
    ReceiptStatus status = ReceiptStatus.CHARGED;
    String reference = "";
    switch (state.getStage()) {
      case CAPTURED, REFUNDED -> reference = state.getCaptureId();
      case VOIDED -> reference = "";
      case FAILED -> {
        status = ReceiptStatus.REVIEW;
        reasons.add(FAILED_REASON + state.getFailure());
      }
      default -> reasons.add(QUEUED_REASON + state.getFailure());
    }
    receipts.record(new Receipt(r.visitId(), r.credential(), status, r.items(), r.total(), r.exitTs(),
        r.finalizedTs(), reasons, reference));
  }

  /** Whether the visit of {@code receipt} was closed unsettled past the store's limit, with nothing charged. */
  public static boolean closedUnsettled(Receipt receipt) {
    return receipt.reasons().stream().anyMatch(r -> r.startsWith(CLOSED_REASON));
  }

  /** Why the visit of {@code receipt} could not be charged, if its payment failed for good. */
  public static Optional<String> paymentFailure(Receipt receipt) {
    if (receipt.status() != ReceiptStatus.REVIEW) {
      return Optional.empty();
    }
    return receipt.reasons().stream().filter(r -> r.startsWith(FAILED_REASON))
        .map(r -> r.substring(FAILED_REASON.length())).findFirst();
  }

  private Optional<Receipt> baseReceipt(VisitId visit) {
    return receipts.receipt(visit);
  }

  private void resume(String visit) {
    PaymentState state = state(visit).orElse(null);
    if (state == null || !awaitsProcessor(state)) {
      queued.remove(visit);
      return;
    }
    PaymentState after = advance(state);
    if (!awaitsProcessor(after) || after.getAttempts() == 0) {
      queued.remove(visit);
    }
    if (!awaitsProcessor(after)) {
      finish(after, baseReceipt(VisitId.of(visit)));
    }
  }

  /**
   * Runs the visit's state machine as far as it goes now: to a stage that waits for checkout ({@code HELD},
   * {@code HOLD_DECLINED}), a final stage, or a pending stage with a retry scheduled.
   */
  private PaymentState advance(PaymentState start) {
    PaymentState s = start;
    String visit = s.getVisitId();
    Money zero = Money.zero(currency(s));
    while (true) {
      PaymentState current = s;
      try {
        switch (s.getStage()) {
          case HOLD_PENDING -> {
            Money hold = new Money(s.getHoldMinor(), zero.currency());
            AuthorizationResult r = call("authorize", current, () -> provider.authorize(
                new AuthorizationRequest(visit + "/authorize", credentialOf(current), hold)));
            registry.counter("jwo.payments.authorizations", "outcome", r.approved() ? "approved" : "declined")
                .increment();
            s = r.approved()
                ? next(s, Stage.HELD).setAuthorizationId(r.authorizationId())
                    .setAuthorizedMinor(r.amount().minor()).build()
                : next(s, Stage.HOLD_DECLINED).setFailure("the card was declined: " + r.declineReason()).build();
          }
          case HELD -> {
            if (!s.getSettled()) {
              return s;
            }
            Stage to = s.getTargetMinor() == 0 ? Stage.VOID_PENDING
                : s.getAuthorizedMinor() >= s.getTargetMinor() ? Stage.CAPTURE_PENDING : Stage.INCREMENT_PENDING;
            s = next(s, to).build();
          }
          case ADMITTED_WITHOUT_HOLD, OVER_OFFLINE_CAP -> {
            if (!s.getUnansweredKey().isEmpty()) {
              // The authorization asked for at entry, asked again as it was: placed then or now, or declined.
              AuthorizationResult r = call("authorize", current, () -> provider.authorize(new AuthorizationRequest(
                  current.getUnansweredKey(), credentialOf(current),
                  new Money(current.getUnansweredMinor(), zero.currency()))));
              registry.counter("jwo.payments.authorizations", "outcome", r.approved() ? "approved" : "declined")
                  .increment();
              s = answeredAfterEntry(s, r);
            } else if (!s.getSettled()) {
              return s;
            } else if (!s.getAuthorizationId().isEmpty()) {
              s = next(s, Stage.HELD).build(); // reviewed: charged on the hold placed after entry
            } else {
              // Settled within the cap, or as a reviewer decided: authorized for the total, then captured.
              s = s.getTargetMinor() == 0 ? next(s, Stage.VOIDED).build()
                  : next(s, Stage.HOLD_PENDING).setHoldMinor(s.getTargetMinor()).build();
            }
          }
          case HOLD_DECLINED -> {
            if (!s.getSettled()) {
              return s;
            }
            s = next(s, s.getTargetMinor() == 0 ? Stage.VOIDED : Stage.FAILED).build();
          }
          case INCREMENT_PENDING -> {
            Money more = new Money(s.getTargetMinor() - s.getAuthorizedMinor(), zero.currency());
            AuthorizationResult r = call("increment", current,
                () -> provider.incrementAuthorization(
                new IncrementRequest(visit + "/increment", current.getAuthorizationId(), more)));
            if (!r.approved()) {
              s = next(s, Stage.FAILED).setFailure("the card was declined for the total: " + r.declineReason())
                  .build();
            } else if (r.amount().minor() < s.getTargetMinor()) {
              s = next(s, Stage.FAILED).setFailure("the raised authorization of " + r.amount()
                  + " does not cover the total").build();
            } else {
              s = next(s, Stage.HELD).setAuthorizedMinor(r.amount().minor()).build();
            }
          }
          case CAPTURE_PENDING -> {
            Money total = new Money(s.getTargetMinor(), zero.currency());
            CaptureResult r = call("capture", current, () -> provider.capture(
                new CaptureRequest(visit + "/capture", current.getAuthorizationId(), total)));
            registry.counter("jwo.payments.captures", "outcome", "captured").increment();
            s = next(s, Stage.CAPTURED).setCaptureId(r.captureId()).setCapturedMinor(r.amount().minor()).build();
          }
          case VOID_PENDING -> {
            call("void", current, () -> {
              provider.release(visit + "/void", current.getAuthorizationId());
              return Boolean.TRUE;
            });
            registry.counter("jwo.payments.captures", "outcome", "nothing_to_charge").increment();
            s = next(s, Stage.VOIDED).build();
          }
          default -> {
            return s;
          }
        }
      } catch (PaymentException e) {
        if (e.isRetriable() && isUnaskedEntryHold(s) && offline.admitsWithoutHold()) {
          return retryLater(withoutHold(s, e), e);
        }
        return e.isRetriable() ? retryLater(s, e) : fail(s, String.valueOf(e.getMessage()));
      }
      save(s);
    }
  }

  /**
   * Whether {@code s} is the hold of an entry whose gate opened before asking (a gate's scanner reporting it on the
   * sensor stream), placed after the fact: the visit is not settled and took over no hold placed at the gate.
   */
  private static boolean isUnaskedEntryHold(PaymentState s) {
    return s.getStage() == Stage.HOLD_PENDING && !s.getSettled() && s.getEntryHold().isEmpty();
  }

  /**
   * The visit of an entry made without asking, whose hold the processor did not answer, as the store's offline entry
   * policy would have admitted it at the gate: without a hold, charged up to the policy's cap at checkout. The
   * hold tried now may have been placed without an answer: it is asked again, with the same key and amount, from the
   * retry queue ({@link #answeredAfterEntry}).
   */
  private PaymentState withoutHold(PaymentState s, PaymentException e) {
    registry.counter("jwo.payments.entries", "outcome", "without_hold").increment();
    log.warn("visit {} came in without a hold (its gate opened before asking, and the processor did not answer);"
        + " checkout charges it up to {} minor units", s.getVisitId(), offline.capMinor());
    return next(s, Stage.ADMITTED_WITHOUT_HOLD).setOfflineCapMinor(offline.capMinor())
        .setUnansweredKey(s.getVisitId() + "/authorize").setUnansweredMinor(s.getHoldMinor())
        .setFailure("no hold at entry: " + e.getMessage()).build();
  }

  /**
   * A visit admitted without a hold, once the processor answered the authorization asked for at its entry: an
   * approved one is the visit's hold ({@code HELD}; kept aside while the visit waits for a reviewer over the offline
   * cap, and charged when the reviewer decides), a declined card is {@code HOLD_DECLINED} as it would have been at
   * the gate (a visit waiting for a reviewer stays so).
   */
  private static PaymentState answeredAfterEntry(PaymentState s, AuthorizationResult r) {
    boolean waitsForReviewer = s.getStage() == Stage.OVER_OFFLINE_CAP && !s.getSettled();
    PaymentState.Builder next;
    if (r.approved()) {
      next = next(s, waitsForReviewer ? Stage.OVER_OFFLINE_CAP : Stage.HELD).setAuthorizationId(r.authorizationId())
          .setAuthorizedMinor(r.amount().minor());
    } else if (waitsForReviewer) {
      next = next(s, Stage.OVER_OFFLINE_CAP);
    } else {
      next = next(s, Stage.HOLD_DECLINED).setFailure("the card was declined: " + r.declineReason());
    }
    return next.clearUnansweredKey().clearUnansweredMinor().build();
  }

  /** Whether the visit waits for the processor: a pending call, or an authorization asked for at entry. */
  private static boolean awaitsProcessor(PaymentState s) {
    return isPending(s.getStage()) || !s.getUnansweredKey().isEmpty();
  }

  private static PaymentState.Builder next(PaymentState s, Stage stage) {
    return s.toBuilder().setStage(stage).setAttempts(0).setNextAttemptMs(0).setFirstFailureMs(0);
  }

  private PaymentState fail(PaymentState s, String why) {
    registry.counter("jwo.payments.failures", "stage", s.getStage().name()).increment();
    PaymentState failed = next(s, Stage.FAILED).setFailure(why).build();
    save(failed);
    return failed;
  }

  private PaymentState retryLater(PaymentState s, PaymentException e) {
    long now = clock.millis();
    long first = s.getAttempts() == 0 ? now : s.getFirstFailureMs();
    if (now - first >= settings.giveUpAfter().toMillis()) {
      return fail(s, "gave up after " + (s.getAttempts() + 1) + " attempts over "
          + Duration.ofMillis(now - first) + ": " + e.getMessage());
    }
    int attempts = s.getAttempts() + 1;
    Duration delay = backoff(s.getVisitId(), attempts);
    PaymentState waiting = s.toBuilder().setAttempts(attempts).setFirstFailureMs(first)
        .setNextAttemptMs(now + delay.toMillis()).setFailure(String.valueOf(e.getMessage())).build();
    save(waiting);
    registry.counter("jwo.payments.retries", "stage", s.getStage().name()).increment();
    queued.add(s.getVisitId());
    later(s.getVisitId(), delay);
    return waiting;
  }

  private RefundRecord refundNow(VisitId visit, String disputeId, Money amount) {
    String key = visit.value() + "/" + disputeId;
    Optional<StoredRefund> existing = refunds.get(key).map(v -> parseRefund(key, v.value()));
    if (existing.isPresent() && existing.get().getStatus() != StoredRefund.Status.PENDING) {
      return RefundRecord.of(existing.get());
    }
    StoredRefund refund = existing.orElse(null);
    if (refund == null) {
      PaymentState state = state(visit.value()).orElseThrow(() -> new PaymentException(
          "visit " + visit + " was never paid for; nothing to refund", false));
      if (state.getStage() != Stage.CAPTURED && state.getStage() != Stage.REFUNDED) {
        throw new PaymentException("visit " + visit + " is not captured (" + state.getStage() + "); nothing to"
            + " refund", false);
      }
      if (state.getRefundedMinor() + amount.minor() > state.getCapturedMinor()) {
        throw new PaymentException("a refund of " + amount + " exceeds what is left of the visit's capture", false);
      }
      refund = StoredRefund.newBuilder().setVisitId(visit.value()).setDisputeId(disputeId)
          .setAmountMinor(amount.minor()).setCurrency(amount.currency().getCurrencyCode())
          .setCaptureId(state.getCaptureId()).setStatus(StoredRefund.Status.PENDING).build();
      refunds.put(key, refund.toByteArray(), KeyedTable.ABSENT);
    }
    StoredRefund pending = refund;
    try {
      Disclosure disclosure = disclose(credentialOf(state(visit.value()).orElseThrow()),
          visit + "/refund/" + disputeId, clock.millis());
      PaymentState paid = state(visit.value()).orElseThrow().toBuilder().setDisclosure(disclosure.auditHash())
          .setDisclosureRefused(disclosure.refusal()).build();
      RefundResult result = call("refund", paid, () -> provider.refund(new RefundRequest(
          visit.value() + "/refund/" + disputeId, pending.getCaptureId(),
          new Money(pending.getAmountMinor(), Currency.getInstance(pending.getCurrency())))));
      StoredRefund done = pending.toBuilder().setStatus(StoredRefund.Status.DONE)
          .setRefundId(result.refundId()).setFailure("").build();
      refunds.put(key, done.toByteArray(), KeyedTable.ANY_VERSION);
      PaymentState state = state(visit.value()).orElseThrow();
      long refunded = state.getRefundedMinor() + done.getAmountMinor();
      save(state.toBuilder().setRefundedMinor(refunded)
          .setStage(refunded >= state.getCapturedMinor() ? Stage.REFUNDED : state.getStage()).build());
      registry.counter("jwo.payments.refunds", "outcome", "refunded").increment();
      return RefundRecord.of(done);
    } catch (PaymentException e) {
      if (e.isRetriable()) {
        StoredRefund waiting = pending.toBuilder().setAttempts(pending.getAttempts() + 1)
            .setFailure(String.valueOf(e.getMessage())).build();
        refunds.put(key, waiting.toByteArray(), KeyedTable.ANY_VERSION);
        registry.counter("jwo.payments.retries", "stage", "REFUND").increment();
        retryRefund(visit, disputeId, amount, backoff(key, waiting.getAttempts()));
        return RefundRecord.of(waiting);
      }
      StoredRefund failed = pending.toBuilder().setStatus(StoredRefund.Status.FAILED).setFailure(String.valueOf(e.getMessage()))
          .build();
      refunds.put(key, failed.toByteArray(), KeyedTable.ANY_VERSION);
      registry.counter("jwo.payments.refunds", "outcome", "failed").increment();
      return RefundRecord.of(failed);
    }
  }

  private static StoredRefund parseRefund(String key, byte[] bytes) {
    try {
      return StoredRefund.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new PaymentException("refund " + key + " cannot be read", false, e);
    }
  }

  /** The wait before retry {@code attempt} of the work named {@code key}: backed off, its jitter fixed by both. */
  private Duration backoff(String key, int attempt) {
    return settings.backoff(attempt, new SplittableRandom(key.hashCode() * 31L + attempt).nextDouble());
  }

  private void later(String visit, Duration delay) {
    onWorkerAfter(delay, () -> resume(visit));
  }

  /** Runs {@code task} on the payment worker after {@code delay} on the injected scheduler; {@link #awaitIdle} waits. */
  private void onWorkerAfter(Duration delay, Runnable task) {
    scheduled.incrementAndGet();
    scheduler.schedule(delay, () -> {
      try {
        submit(task);
      } finally {
        scheduled.decrementAndGet();
      }
    });
  }

  private static boolean isPending(Stage stage) {
    return switch (stage) {
      case HOLD_PENDING, INCREMENT_PENDING, CAPTURE_PENDING, VOID_PENDING -> true;
      default -> false;
    };
  }

  /**
   * The export guard's decision to let {@code credential} go to the payment provider for {@code reference}, taken
   * by the thread that asks for the payment (the pipeline's, so the audit chain's order follows the input's).
   */
  private Disclosure disclose(Credential credential, String reference, long ts) {
    try {
      return new Disclosure(exports.require(ExportChannels.PAYMENT_PROVIDER.recipient(),
          EnumSet.of(DataCategory.PAYMENT_TOKEN), credential, reference, ts).auditHash(), "");
    } catch (ComplianceException e) {
      registry.counter("jwo.payments.refused").increment();
      return new Disclosure("", String.valueOf(e.getMessage()));
    }
  }

  /** An export decision: the allowing audit record's hash, or why it was refused; both empty when not asked. */
  private record Disclosure(String auditHash, String refusal) {
    static final Disclosure NOT_ASKED = new Disclosure("", "");
  }

  /**
   * Calls the provider with a time limit, only when the export guard allowed sending {@code visit}'s credential
   * to the payment provider (every call carries it or what stands for it: an authorization or capture id); a row
   * kept from before decisions were recorded is decided now. No answer in time is a retriable failure, a refusal a
   * final one: nothing is sent.
   */
  private <T> T call(String what, PaymentState visit, Callable<T> call) {
    Disclosure disclosure = visit.getDisclosure().isEmpty() && visit.getDisclosureRefused().isEmpty()
        ? disclose(credentialOf(visit), visit.getVisitId() + "/" + what, clock.millis())
        : new Disclosure(visit.getDisclosure(), visit.getDisclosureRefused());
    if (!disclosure.refusal().isEmpty()) {
      throw new PaymentException(what + " was not sent: " + disclosure.refusal(), false);
    }
    Timer timer = registry.timer("jwo.payments.calls", "call", what);
    long start = System.nanoTime();
    Future<T> future = calls.submit(call);
    try {
      return future.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new PaymentException(what + " got no answer within " + settings.callTimeout().toMillis() + " ms",
          true, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof PaymentException p) {
        throw p;
      }
      throw new PaymentException(what + " failed: " + cause, false, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PaymentException(what + " was interrupted", true, e);
    } finally {
      timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private Currency currency(PaymentState s) {
    return s.getCurrency().isEmpty() ? layout.currency() : Currency.getInstance(s.getCurrency());
  }

  private Optional<PaymentState> state(String visit) {
    return states.get(visit).map(v -> parse(visit, v.value()));
  }

  private static PaymentState parse(String visit, byte[] bytes) {
    try {
      return PaymentState.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new PaymentException("payment state of visit " + visit + " cannot be read", false, e);
    }
  }

  private void save(PaymentState state) {
    states.put(state.getVisitId(), state.toByteArray(), KeyedTable.ANY_VERSION);
    scheduleErasure(state);
  }

  /**
   * The entry time of the visit: as recorded, or, for a row written before it was, as its id says
   * ({@link Admission#visitIdFor}); 0 if neither tells.
   */
  private static long admittedTs(PaymentState state) {
    return state.getAdmittedTsMs() != 0 ? state.getAdmittedTsMs() : admittedTsOf(state.getVisitId());
  }

  private static long admittedTsOf(String visit) {
    int end = visit.indexOf('-', 2);
    if (!visit.startsWith("v-") || end < 0) {
      return 0;
    }
    try {
      return Long.parseLong(visit.substring(2, end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The visit's credential as kept: the raw one, or what {@link Credential#erasedTo} left of it. */
  private static Credential credentialOf(PaymentState state) {
    return state.getCredentialErased() ? Credential.erasedTo(state.getCredential())
        : Credential.of(state.getCredential());
  }

  private static boolean isFinal(Stage stage) {
    return switch (stage) {
      case CAPTURED, REFUNDED, VOIDED, FAILED -> true;
      default -> false;
    };
  }

  /**
   * Puts a settled visit whose payment is final and whose records are still kept on the erasure schedule (at once
   * for one closed unsettled), and a visit not settled on the closing schedule.
   */
  private void scheduleErasure(PaymentState state) {
    if (state.getSettled() && isFinal(state.getStage()) && !erased(state)) {
      erasures.add(new Due(state.getSettledTsMs()
          + (state.getClosedUnsettled() ? 0 : settings.credentialRetention().toMillis()), state.getVisitId()));
    } else if (!state.getSettled() && admittedTs(state) != 0) {
      closures.add(new Due(admittedTs(state) + settings.unsettledLimit().toMillis(), state.getVisitId()));
    }
  }

  /** Whether the visit's raw credential is erased and its other records deleted. */
  private static boolean erased(PaymentState state) {
    return state.getCredentialErased() && state.getVisitRecordsDeleted();
  }

  /**
   * Closes every visit not settled by {@code now}: it is settled with nothing to charge (its hold is released), its
   * receipt, if it has one, is amended to say so, and the closing is audited; the erasure of its records follows
   * at once. Runs on the payment worker.
   */
  private void closeDue(long now) {
    while (isDue(closures, now)) {
      Due due = closures.pollFirst();
      if (due == null) {
        break;
      }
      PaymentState state = state(due.visit()).orElse(null);
      if (state == null || state.getSettled()) {
        continue;
      }
      PaymentState closed = state.toBuilder().setSettled(true).setSettledTsMs(now).setTargetMinor(0)
          .setClosedUnsettled(true).build();
      String why = CLOSED_REASON + "not settled within " + settings.unsettledLimit().toDays()
          + " days of entry; nothing was charged";
      try {
        save(closed);
        Optional<Receipt> receipt = baseReceipt(VisitId.of(due.visit()));
        if (receipt.isPresent() && !closedUnsettled(receipt.get())) {
          Receipt r = receipt.get();
          List<String> reasons = new ArrayList<>(r.reasons());
          reasons.add(why);
          receipts.amend(new Receipt(r.visitId(), r.credential(), r.status(), r.items(), r.total(), r.exitTs(),
              r.finalizedTs(), reasons, r.paymentReference()), why);
        }
      } catch (StorageException e) {
        log.warn("visit {} could not be closed yet; retried at the next event", due.visit(), e);
        closures.add(new Due(now + 1, due.visit()));
        continue;
      }
      audit.append(AuditType.VISIT_CLOSED, now, audit.subjectOf(credentialOf(state)), Map.of(
          "visit", due.visit(),
          "admitted_ts", Long.toString(admittedTs(state)),
          "stage", state.getStage().name(),
          "unsettled_limit", settings.unsettledLimit().toString()));
      registry.counter("jwo.payments.visits_closed").increment();
      if (!awaitsProcessor(closed)) {
        advance(closed); // releases the hold; a pending authorization releases it when it completes
      }
    }
  }

  /**
   * Replaces the raw credential of every visit due at {@code now} by its keyed subject, in table {@code payments}
   * and in the visit's receipts, and deletes the visit's other records ({@link VisitRecords}), each recorded in the
   * audit chain. Runs on the payment worker, so no payment step of the visit writes its row meanwhile.
   */
  private void eraseDue(long now) {
    List<Due> failed = new ArrayList<>();
    while (isDue(erasures, now)) {
      Due due = erasures.pollFirst();
      if (due == null) {
        break;
      }
      PaymentState state = state(due.visit()).orElse(null);
      if (state == null || erased(state) || !state.getSettled() || !isFinal(state.getStage())) {
        continue; // gone, erased already, or scheduled again when it becomes final
      }
      String subject = audit.subjectOf(credentialOf(state));
      if (retention.hold(subject).isPresent()) {
        erasures.add(new Due(now + HOLD_RECHECK.toMillis(), due.visit()));
        continue;
      }
      Credential erased = Credential.erasedTo(subject);
      boolean credentialKept = !state.getCredentialErased();
      int receiptRows = 0;
      try {
        // Receipts and other records first: the payment row, once erased, is never scheduled again.
        if (credentialKept) {
          receiptRows = receipts.eraseCredential(VisitId.of(due.visit()), erased);
        }
        deleteVisitRecords(due.visit(), subject, now);
        save(state.toBuilder().setCredential(erased.reveal()).setCredentialErased(true)
            .setVisitRecordsDeleted(true).build());
      } catch (StorageException e) {
        log.warn("the records of visit {} could not be erased yet; retried at the next event", due.visit(), e);
        failed.add(new Due(now + 1, due.visit()));
        continue;
      }
      if (credentialKept) {
        audit.append(AuditType.CREDENTIAL_ERASED, now, subject, Map.of(
            "visit", due.visit(),
            "category", DataCategory.PAYMENT_TOKEN.wireName(),
            "where", "payments, " + receiptRows + " receipt version(s)",
            "settled_ts", Long.toString(state.getSettledTsMs()),
            "retention", retentionOf(state)));
        registry.counter("jwo.payments.credentials_erased").increment();
      }
    }
    erasures.addAll(failed);
  }

  /** Deletes what each of {@link #visitRecords} keeps of the visit, auditing each deletion that found records. */
  private void deleteVisitRecords(String visit, String subject, long now) {
    for (VisitRecords records : visitRecords) {
      int deleted = records.delete(visit);
      if (deleted > 0) {
        audit.append(AuditType.RECORDS_DELETED, now, subject, Map.of(
            "visit", visit,
            "category", records.category().wireName(),
            "where", records.where(),
            "records", Integer.toString(deleted)));
        registry.counter("jwo.payments.visit_records_deleted").increment();
      }
    }
  }

  /**
   * Deletes the records other modules keep of visits whose entry is more than {@link #ORPHAN_AFTER} old and for which
   * no payment was ever made (an entry the pipeline rejected after its credential was sealed): no payment schedule
   * would ever reach them. Unless a legal hold covers the person; each deletion audited like the others. Runs on the
   * payment worker, after every entry before {@code now} was held.
   */
  private void deleteOrphans(long now) {
    releaseStaleEntryHolds(now);
    for (VisitRecords records : visitRecords) {
      try {
        for (VisitRecords.Kept kept : records.keptBefore(now - ORPHAN_AFTER.toMillis())) {
          if (state(kept.visit()).isPresent()
              || (!kept.subject().isEmpty() && retention.hold(kept.subject()).isPresent())) {
            continue;
          }
          int deleted = records.delete(kept.visit());
          if (deleted > 0) {
            audit.append(AuditType.RECORDS_DELETED, now, kept.subject(), Map.of(
                "visit", kept.visit(),
                "category", records.category().wireName(),
                "where", records.where(),
                "records", Integer.toString(deleted),
                "retention", "none: no payment was made for the entry (rejected by the pipeline); deleted "
                    + ORPHAN_AFTER.toHours() + " h after it"));
            registry.counter("jwo.payments.visit_records_deleted").increment();
          }
        }
      } catch (StorageException e) {
        log.warn("records of visits without a payment could not be deleted yet; retried at the next sweep", e);
      }
    }
  }

  /**
   * Releases the holds placed or last claimed more than {@link #ORPHAN_AFTER} before {@code now} for admissions no
   * visit took over (the server stopped between the hold and the admission's record, or the party never came in),
   * and those left marked as being released, and forgets those a visit took over. Runs on the payment worker, after
   * every entry before {@code now} was processed.
   */
  private void releaseStaleEntryHolds(long now) {
    try {
      for (KeyedValue row : entryHolds.scan("")) {
        StoredEntryHold h = parseEntryHold(row.key(), row.value().value());
        if (!h.getReleasing() && Math.max(h.getPlacedAtMs(), h.getClaimedAtMs()) >= now - ORPHAN_AFTER.toMillis()) {
          continue;
        }
        if (h.getAdoptedBy().isEmpty()) {
          releaseEntryHold(row.key(), row.value().version(), h);
        } else {
          deleteIfUnchanged(row.key(), row.value().version());
        }
      }
    } catch (StorageException e) {
      log.warn("holds of admissions not recorded could not be released yet; retried at the next sweep", e);
    }
  }

  /**
   * Deletes what each of {@link #timedRecords} made longer ago than it keeps it, except records naming a person a
   * legal hold covers, auditing each person's deletion. Runs on the payment worker.
   */
  private void deleteTimed(long now) {
    for (TimedRecords records : timedRecords) {
      try {
        Map<String, Integer> deleted = records.deleteBefore(now - records.keptFor().toMillis(),
            subject -> retention.hold(subject).isPresent());
        deleted.forEach((subject, count) -> {
          audit.append(AuditType.RECORDS_DELETED, now, subject, Map.of(
              "category", records.category().wireName(),
              "where", records.where(),
              "records", Integer.toString(count),
              "retention", records.keptFor().toString()));
          registry.counter("jwo.payments.timed_records_deleted").increment();
        });
      } catch (StorageException e) {
        log.warn("records kept for a fixed time could not be deleted yet; retried at the next sweep", e);
      }
    }
  }

  /** What the visit's records were kept for after it was settled, for the audit record. */
  private String retentionOf(PaymentState state) {
    return state.getClosedUnsettled() ? "none: closed unsettled after " + settings.unsettledLimit()
        : settings.credentialRetention().toString();
  }

  /** A visit due for erasure or closing at event time {@code dueTs}. */
  private record Due(long dueTs, String visit) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(dueTs, other.dueTs);
      return byTime != 0 ? byTime : visit.compareTo(other.visit);
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
