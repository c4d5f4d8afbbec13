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
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.AdmissionDecision;
import dev.jwo.core.visit.AdmissionRefusedException;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.ForwardingPaymentProvider;
import dev.jwo.payments.OfflineEntryPolicy;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.simulated.SimulatedCardProcessor.LedgerEntry;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.PaymentState.Stage;
import dev.jwo.payments.v1.StoredEntryHold;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An authorization asked for at the gate that got no answer may have been placed. Once the processor answers again
 * (the same request, from the retry queue, on the injected clock) it is voided for a party that was refused or did
 * not come in, becomes the gate's hold for a party not processed yet, or the hold of the visit let in without one.
 * A release of a cancelled hold that got no answer is asked again from the same queue. The simulated processor's
 * ledger is the judge: nothing is left open, nothing captured twice.
 */
class UnansweredHoldTest {
  private static final GateId GATE = GateId.of("in-1");
  private static final Credential CARD = Credential.of("card-7");
  private static final PaymentSettings SETTINGS = new PaymentSettings(
      5_000, Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(30), 0.5, Duration.ofDays(1));

  private final StoreLayout layout = TestLayouts.store();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final Line line = new Line();
  private final ManualScheduler scheduler = new ManualScheduler();
  private VisitPayments payments = payments(OfflineEntryPolicy.NEVER);

  @AfterEach
  void close() {
    payments.close();
  }

  @Test
  void aHoldPlacedWithoutAnAnswerForARefusedPartyIsVoidedOnceTheProcessorAnswers() throws Exception {
    line.mode = Mode.LOSE_ANSWERS;
    assertThatThrownBy(() -> payments.beforeAdmission(GATE, CARD))
        .isInstanceOfSatisfying(AdmissionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AdmissionRefusedException.Reason.TRY_AGAIN));
    line.mode = Mode.DOWN;
    assertThatThrownBy(() -> payments.beforeAdmission(GATE, Credential.of("card-8")))
        .isInstanceOf(AdmissionRefusedException.class);
    assertThat(line.ledger.openAuthorizations()).as("placed, its answer lost").hasSize(1);
    retries(3);
    assertThat(line.ledger.openAuthorizations()).as("still down: asked again later").hasSize(1);

    line.mode = Mode.ANSWER;
    drain();
    assertThat(line.ledger.openAuthorizations()).isEmpty();
    assertThat(operations()).as("the lost one voided; the one never placed placed by the repeat and voided")
        .containsExactlyInAnyOrder(Operation.AUTHORIZE, Operation.AUTHORIZE, Operation.VOID, Operation.VOID);
    assertThat(storage.table(VisitPayments.UNANSWERED_HOLDS).scan("")).isEmpty();
  }

  @Test
  void aHoldPlacedWithoutAnAnswerBecomesTheGatesHoldForAPartyNotInYet() throws Exception {
    admitWithoutHoldUpTo(2_500);
    line.mode = Mode.LOSE_ANSWERS;
    AdmissionDecision decision = payments.beforeAdmission(GATE, CARD);
    assertThat(decision).isEqualTo(AdmissionDecision.withoutHold(Money.ofMinor(2_500, "USD")));

    line.mode = Mode.ANSWER;
    drain();
    assertThat(entryHold().getKind()).as("the gate's hold now").isEqualTo(StoredEntryHold.Kind.HELD);
    assertThat(payments.beforeAdmission(GATE, CARD)).as("scanned again").isEqualTo(AdmissionDecision.held(true));

    VisitId visit = admit();
    assertThat(payments.stage(visit)).contains(Stage.HELD);
    charge(visit, 3);
    List<LedgerEntry> ledger = line.ledger.ledger();
    assertThat(operations()).as("placed once, captured once").containsExactly(Operation.AUTHORIZE,
        Operation.CAPTURE);
    assertThat(ledger.get(1).authorizationId()).isEqualTo(ledger.get(0).reference());
    assertThat(line.ledger.openAuthorizations()).isEmpty();
  }

  @Test
  void aVisitLetInWithoutAHoldTakesOverTheGatesAuthorizationWhenTheProcessorAnswers() throws Exception {
    admitWithoutHoldUpTo(2_500);
    line.mode = Mode.DOWN;
    assertThat(payments.beforeAdmission(GATE, CARD).kind()).isEqualTo(AdmissionDecision.Kind.WITHOUT_HOLD);
    VisitId visit = admit();
    assertThat(payments.stage(visit)).contains(Stage.ADMITTED_WITHOUT_HOLD);
    assertThat(storage.table(VisitPayments.UNANSWERED_HOLDS).scan("")).as("the visit asks itself").isEmpty();

    line.mode = Mode.ANSWER;
    drain();
    assertThat(payments.stage(visit)).as("the gate's authorization is the visit's hold").contains(Stage.HELD);
    charge(visit, 3);
    List<LedgerEntry> ledger = line.ledger.ledger();
    assertThat(ledger).extracting(LedgerEntry::operation, LedgerEntry::amount).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Operation.AUTHORIZE, Money.ofMinor(5_000, "USD")),
        org.assertj.core.groups.Tuple.tuple(Operation.CAPTURE, Money.ofMinor(750, "USD")));
    assertThat(ledger.get(1).authorizationId()).isEqualTo(ledger.get(0).reference());
    assertThat(payments.stage(visit)).contains(Stage.CAPTURED);
  }

  @Test
  void aPartyLetInWithoutAHoldThatDoesNotComeThroughHasThePlacedAuthorizationVoided() throws Exception {
    admitWithoutHoldUpTo(2_500);
    line.mode = Mode.LOSE_ANSWERS;
    payments.beforeAdmission(GATE, CARD);
    payments.notAdmitted(GATE, CARD);
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();

    line.mode = Mode.ANSWER;
    drain();
    List<LedgerEntry> ledger = line.ledger.ledger();
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.VOID);
    assertThat(ledger.get(1).authorizationId()).isEqualTo(ledger.get(0).reference());
    assertThat(storage.table(VisitPayments.UNANSWERED_HOLDS).scan("")).isEmpty();
  }

  @Test
  void aCancelledHoldWhoseReleaseGotNoAnswerIsReleasedOnceTheProcessorAnswersNotADayLater() throws Exception {
    assertThat(payments.beforeAdmission(GATE, CARD)).isEqualTo(AdmissionDecision.held(false));
    line.mode = Mode.DOWN;
    payments.notAdmitted(GATE, CARD);
    retries(2);
    assertThat(line.ledger.openAuthorizations()).hasSize(1);

    line.mode = Mode.ANSWER;
    drain();
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.VOID);
    assertThat(line.ledger.openAuthorizations()).isEmpty();
    assertThat(storage.table(VisitPayments.ENTRY_HOLDS).scan("")).isEmpty();
  }

  @Test
  void anEntryReportedWithoutAskingWhoseHoldWasPlacedWithoutAnAnswerLeavesNothingOpenForAnEmptyCart()
      throws Exception {
    admitWithoutHoldUpTo(2_500);
    line.mode = Mode.LOSE_ANSWERS;
    VisitId visit = admit(); // the gate opened before asking
    assertThat(payments.stage(visit)).contains(Stage.ADMITTED_WITHOUT_HOLD);
    line.mode = Mode.DOWN;
    charge(visit, 0);

    line.mode = Mode.ANSWER;
    drain();
    assertThat(payments.stage(visit)).contains(Stage.VOIDED);
    assertThat(operations()).containsExactly(Operation.AUTHORIZE, Operation.VOID);
    assertThat(line.ledger.openAuthorizations()).isEmpty();
  }

  /** The store admits parties without a hold while the processor does not answer, charging up to {@code cap}. */
  private void admitWithoutHoldUpTo(long cap) {
    payments.close();
    payments = payments(OfflineEntryPolicy.upTo(cap));
  }

  private VisitPayments payments(OfflineEntryPolicy policy) {
    return new VisitPayments(layout, line, SETTINGS, new ReceiptBook(storage, layout), storage,
        new SimpleMeterRegistry(), scheduler.clock, scheduler,
        PaymentExportsTest.guard(layout, storage, ExportChannels.DEFAULTS), PaymentExportsTest.audit(storage),
        PaymentExportsTest.retention(layout, storage), Set.of(), Set.of(), policy);
  }

  /** The party's entry is processed; returns its visit. */
  private VisitId admit() throws InterruptedException {
    EntryEvent entry = new EntryEvent(scheduler.clock.millis(), GATE, CARD, 1, null);
    payments.onEvent(entry);
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
    return Admission.from(entry).visitId();
  }

  /** The visit leaves with {@code units} units at 2.50 and is charged. */
  private void charge(VisitId visit, int units) throws InterruptedException {
    long ts = scheduler.clock.millis();
    Admission admission = new Admission(visit, ts, GATE, CARD, 1, null);
    payments.settle(new VisitOutcome(admission, ReceiptStatus.CHARGED,
        units == 0 ? List.of() : List.of(new LineItem(Sku.of("sku-1"), units, Money.ofMinor(250, "USD"))),
        ts + 60_000, ts + 61_000, List.of()));
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
  }

  private StoredEntryHold entryHold() throws Exception {
    return StoredEntryHold.parseFrom(storage.table(VisitPayments.ENTRY_HOLDS).scan("").get(0).value().value());
  }

  /** Runs the next {@code n} retries due, whenever they are due. */
  private void retries(int n) throws InterruptedException {
    for (int i = 0; i < n && scheduler.runNext(); i++) {
      assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
    }
  }

  /** Runs every retry until none is left. */
  private void drain() throws InterruptedException {
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
    for (int i = 0; i < 1_000 && scheduler.runNext(); i++) {
      assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(scheduler.hasPending()).as("retries left").isFalse();
  }

  private List<Operation> operations() {
    return line.ledger.ledger().stream().map(LedgerEntry::operation).toList();
  }

  private enum Mode { ANSWER, LOSE_ANSWERS, DOWN }

  /** The simulated processor on a line that answers, loses every answer after the processor acted, or is down. */
  private static final class Line extends ForwardingPaymentProvider {
    final SimulatedCardProcessor ledger;
    volatile Mode mode = Mode.ANSWER;

    Line() {
      this(new SimulatedCardProcessor());
    }

    private Line(SimulatedCardProcessor ledger) {
      super(ledger);
      this.ledger = ledger;
    }

    @Override
    protected <T> T call(String operation, Supplier<T> call) {
      Mode now = mode;
      if (now == Mode.DOWN) {
        throw new PaymentException("connection refused (simulated outage)", true);
      }
      T answer = call.get();
      if (now == Mode.LOSE_ANSWERS) {
        throw new PaymentException("timed out; the processor acted but its answer was lost", true);
      }
      return answer;
    }

  }
}
