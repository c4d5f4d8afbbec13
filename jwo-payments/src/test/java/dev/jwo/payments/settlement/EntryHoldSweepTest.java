package dev.jwo.payments.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.ForwardingStoreStorage;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.VersionedValue;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.AdmissionRefusedException;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.OfflineEntryPolicy;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.simulated.SimulatedCardProcessor.LedgerEntry;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.PaymentState.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hold placed at the gate for an admission not yet processed is released by the daily sweep only if no admission
 * claimed it since: an admission that uses a day-old hold again claims it in storage, and the sweep's mark, written
 * against the version it read, loses to that claim. A hold's age is counted in event time, as the sweep's, whatever
 * the wall clock says. Time is the injected clock; the processor's ledger is the judge.
 */
class EntryHoldSweepTest {
  private static final GateId GATE = GateId.of("in-1");
  private static final Credential CARD = Credential.of("card-7");
  private static final PaymentSettings SETTINGS = new PaymentSettings(
      5_000, Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(30), 0.5, Duration.ofDays(1));

  private final StoreLayout layout = TestLayouts.store();
  private final InMemoryStoreStorage memory = new InMemoryStoreStorage();
  private final HookedStorage storage = new HookedStorage(memory);
  private final GatedProcessor processor = new GatedProcessor();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final VisitPayments payments = new VisitPayments(layout, processor, SETTINGS,
      new ReceiptBook(memory, layout), storage, new SimpleMeterRegistry(), scheduler.clock, scheduler,
      PaymentExportsTest.guard(layout, memory, ExportChannels.DEFAULTS), PaymentExportsTest.audit(memory),
      PaymentExportsTest.retention(layout, memory), Set.of(), Set.of(), OfflineEntryPolicy.NEVER);

  @AfterEach
  void close() {
    processor.releases.countDown();
    payments.close();
  }

  @Test
  void aDayOldHoldUsedAgainIsKeptByTheSweepAndTakenOverByItsAdmission() throws Exception {
    payments.beforeAdmission(GATE, CARD);
    scheduler.advance(VisitPayments.ORPHAN_AFTER.minusMinutes(1));
    payments.beforeAdmission(GATE, CARD); // the party scans again; its admission is on its way
    scheduler.advance(Duration.ofMinutes(2)); // the hold was placed more than a day ago

    sweep();
    assertThat(operations()).as("the claimed hold is not released").containsExactly(Operation.AUTHORIZE);

    VisitId visit = admitAndCharge(3);
    List<LedgerEntry> ledger = processor.ledger.ledger();
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.CAPTURE);
    assertThat(ledger.get(1).authorizationId()).as("the gate's hold is the one captured")
        .isEqualTo(ledger.get(0).reference());
    assertThat(payments.stage(visit)).contains(Stage.CAPTURED);
  }

  @Test
  void aClaimBetweenTheSweepsReadAndItsMarkKeepsTheHold() throws Exception {
    payments.beforeAdmission(GATE, CARD);
    scheduler.advance(VisitPayments.ORPHAN_AFTER.plusMinutes(1));
    // The sweep reads the day-old hold as unclaimed; the party scans again before the sweep marks it.
    storage.afterScan(() -> payments.beforeAdmission(GATE, CARD));

    sweep();
    assertThat(storage.hooksRun).isEqualTo(1);
    assertThat(operations()).as("the sweep's mark lost to the claim").containsExactly(Operation.AUTHORIZE);

    admitAndCharge(2);
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.CAPTURE);
  }

  @Test
  void aHoldNobodyClaimedForADayIsReleasedOnceAndTheNextScanPlacesANewOne() throws Exception {
    payments.beforeAdmission(GATE, CARD);
    scheduler.advance(VisitPayments.ORPHAN_AFTER.plusMinutes(1));

    sweep();
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.VOID);
    assertThat(memory.table("entry_holds").scan("")).isEmpty();

    payments.beforeAdmission(GATE, CARD);
    admitAndCharge(1);
    List<LedgerEntry> ledger = processor.ledger.ledger();
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.VOID, Operation.AUTHORIZE,
        Operation.CAPTURE);
    assertThat(ledger.get(3).authorizationId()).isEqualTo(ledger.get(2).reference());
  }

  @Test
  void aScanWhileItsHoldIsBeingReleasedIsAskedToTryAgainAndThenHeldAfresh() throws Exception {
    payments.beforeAdmission(GATE, CARD);
    scheduler.advance(VisitPayments.ORPHAN_AFTER.plusMinutes(1));
    processor.holdReleases();

    payments.eraseWhenDue(scheduler.clock.millis());
    assertThat(processor.releaseAsked.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> payments.beforeAdmission(GATE, CARD))
        .isInstanceOfSatisfying(AdmissionRefusedException.class, e -> {
          assertThat(e.isRetriable()).isTrue();
          assertThat(e.getMessage()).contains("being released");
        });
    processor.releases.countDown();
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.VOID);

    payments.beforeAdmission(GATE, CARD);
    admitAndCharge(1);
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.VOID, Operation.AUTHORIZE,
        Operation.CAPTURE);
  }

  @Test
  void aHoldsAgeIsCountedInEventTimeWhenTheWallClockIsAhead() throws Exception {
    long events = scheduler.clock.millis() - Duration.ofDays(5).toMillis(); // a day's log replayed later
    sweepAt(events);
    payments.beforeAdmission(GATE, CARD);
    scheduler.advance(Duration.ofMinutes(1));

    sweepAt(events + VisitPayments.ORPHAN_AFTER.plusMinutes(1).toMillis());
    assertThat(operations()).as("a day old in event time, a minute by the wall clock: released")
        .containsExactly(Operation.AUTHORIZE, Operation.VOID);
    assertThat(memory.table("entry_holds").scan("")).isEmpty();
  }

  @Test
  void aClaimIsDatedInEventTimeWhenTheWallClockIsBehind() throws Exception {
    long events = scheduler.clock.millis() + Duration.ofDays(5).toMillis(); // the store's clock runs behind
    sweepAt(events);
    payments.beforeAdmission(GATE, CARD);
    sweepAt(events + Duration.ofHours(23).toMillis());
    payments.beforeAdmission(GATE, CARD); // the party scans again, 23 h later in event time

    sweepAt(events + VisitPayments.ORPHAN_AFTER.plusMinutes(1).toMillis());
    assertThat(operations()).as("claimed an hour ago in event time: kept").containsExactly(Operation.AUTHORIZE);

    sweepAt(events + VisitPayments.ORPHAN_AFTER.multipliedBy(2).plusMinutes(1).toMillis());
    assertThat(operations()).as("a day after its claim: released").containsExactly(Operation.AUTHORIZE,
        Operation.VOID);
  }

  private void sweep() throws InterruptedException {
    sweepAt(scheduler.clock.millis());
  }

  /** The pipeline tells the payments that event time reached {@code ts}; a sweep due by then runs. */
  private void sweepAt(long ts) throws InterruptedException {
    payments.eraseWhenDue(ts);
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
  }

  /** The admission's entry is processed and the visit leaves with {@code units} units. */
  private VisitId admitAndCharge(int units) throws InterruptedException {
    long ts = scheduler.clock.millis();
    EntryEvent entry = new EntryEvent(ts, GATE, CARD, 1, null);
    payments.onEvent(entry);
    payments.settle(new VisitOutcome(Admission.from(entry), ReceiptStatus.CHARGED,
        List.of(new LineItem(Sku.of("sku-1"), units, Money.ofMinor(250, "USD"))), ts + 60_000, ts + 61_000,
        List.of()));
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
    return Admission.from(entry).visitId();
  }

  private List<Operation> operations() {
    return processor.ledger.ledger().stream().map(LedgerEntry::operation).toList();
  }

  /** The in-memory storage, with a hook run once right after the next scan of table {@code entry_holds}. */
  private static final class HookedStorage extends ForwardingStoreStorage {
    private final AtomicReference<@Nullable Runnable> hook = new AtomicReference<>();
    int hooksRun;

    HookedStorage(InMemoryStoreStorage delegate) {
      super(delegate);
    }

    void afterScan(Runnable action) {
      hook.set(action);
    }

    @Override
    public KeyedTable table(String name) {
      KeyedTable table = super.table(name);
      if (!name.equals("entry_holds")) {
        return table;
      }
      return new KeyedTable() {
        @Override
        public String name() {
          return table.name();
        }

        @Override
        public Optional<VersionedValue> get(String key) {
          return table.get(key);
        }

        @Override
        public long put(String key, byte[] value, long expectedVersion) {
          return table.put(key, value, expectedVersion);
        }

        @Override
        public boolean delete(String key) {
          return table.delete(key);
        }

        @Override
        public boolean delete(String key, long expectedVersion) {
          return table.delete(key, expectedVersion);
        }

        @Override
        public List<KeyedValue> scan(String prefix) {
          List<KeyedValue> rows = table.scan(prefix);
          Runnable action = hook.getAndSet(null);
          if (action != null) {
            action.run();
            hooksRun++;
          }
          return rows;
        }
      };
    }
  }

  /** The simulated processor, whose releases can be made to wait until the test lets them through. */
  private static final class GatedProcessor implements PaymentProvider {
    final SimulatedCardProcessor ledger = new SimulatedCardProcessor();
    final CountDownLatch releaseAsked = new CountDownLatch(1);
    volatile CountDownLatch releases = new CountDownLatch(0);

    void holdReleases() {
      releases = new CountDownLatch(1);
    }

    @Override
    public AuthorizationResult authorize(AuthorizationRequest request) {
      return ledger.authorize(request);
    }

    @Override
    public AuthorizationResult incrementAuthorization(IncrementRequest request) {
      return ledger.incrementAuthorization(request);
    }

    @Override
    public CaptureResult capture(CaptureRequest request) {
      return ledger.capture(request);
    }

    @Override
    public void release(String idempotencyKey, String authorizationId) {
      releaseAsked.countDown();
      try {
        releases.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ledger.release(idempotencyKey, authorizationId);
    }

    @Override
    public RefundResult refund(RefundRequest request) {
      return ledger.refund(request);
    }
  }
}
