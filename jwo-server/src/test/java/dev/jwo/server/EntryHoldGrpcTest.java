package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.cart.grpc.SessionGrpcService;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.AdmitPartyResponse;
import dev.jwo.cart.v1.CancelEntryRequest;
import dev.jwo.cart.v1.EntryHold;
import dev.jwo.cart.v1.EntryRefusal;
import dev.jwo.cart.v1.RequestEntryRequest;
import dev.jwo.cart.v1.RequestEntryResponse;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
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
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.simulated.SimulatedCardProcessor.LedgerEntry;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.payments.v1.PaymentState.Stage;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate stays closed when the hold at entry fails: a party admitted over gRPC ({@code SessionService.AdmitParty})
 * whose card is declined, or whose processor does not answer while the store admits nobody without a hold, is
 * refused with a status saying which, and never becomes a visit. A store whose offline entry policy admits parties
 * without a hold charges them at checkout up to its cap, and holds a larger cart for review with an incident,
 * charging nothing. A gate's scanner that reports its entries on the sensor stream asks first
 * ({@code SessionService.RequestEntry}) and its entry takes the hold over; an entry it reports without asking, while
 * the processor is down, is treated as the offline policy would have admitted it. Answers and refusals say what was
 * done about the hold. An authorization that got no answer is asked again once the processor answers: it becomes the
 * visit's hold, or is voided for a party that was refused. The processor's own ledger is the judge.
 */
class EntryHoldGrpcTest {
  private static final long START = 1_764_410_400_000L;
  private static final GateId GATE = GateId.of("in-1");
  private static final PaymentSettings SETTINGS = new PaymentSettings(
      5_000, Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofSeconds(1), 0.5, Duration.ofDays(3));

  private final StoreScript script = new StoreScript(StoreScript.smallStore("hold-001", "US-IL"), START, 5);
  private final TokenIssuer callers = TokenIssuer.withNewKey(script.layout().storeId().value(), Clock.systemUTC());
  private final GateProcessor processor = new GateProcessor();
  private Injector injector;
  private JwoGrpcServer server;
  private ManagedChannel connection;
  private Channel staff;
  private Channel gateway;

  private void start(OfflineEntryPolicy policy) {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(StoreModules.forStore(script.layout(), InProcessStore.serving(name, callers),
        binder -> {
          OptionalBinder.newOptionalBinder(binder, PaymentProvider.class).setBinding().toInstance(processor);
          OptionalBinder.newOptionalBinder(binder, PaymentSettings.class).setBinding().toInstance(SETTINGS);
          OptionalBinder.newOptionalBinder(binder, OfflineEntryPolicy.class).setBinding().toInstance(policy);
        }));
    server = injector.getInstance(JwoGrpcServer.class).start();
    connection = InProcessChannelBuilder.forName(name).directExecutor().build();
    staff = callers.as(connection, Role.STAFF);
    gateway = callers.as(connection, Role.SENSOR_GATEWAY);
  }

  @AfterEach
  void stop() {
    processor.answerAgain();
    if (connection != null) {
      connection.shutdownNow();
      server.shutdown(Duration.ofSeconds(5));
      injector.getInstance(VisitPayments.class).close();
    }
  }

  @Test
  void aDeclinedCardKeepsTheGateClosedEvenWhereTheStoreAdmitsWithoutAHold() throws Exception {
    start(OfflineEntryPolicy.upTo(2_500));

    assertThatThrownBy(() -> admit("decline-card-1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("not admitted").contains("declined");
          assertThat(refusal(e)).isEqualTo(EntryHold.DECLINED);
        });

    assertNoVisit();
    assertThat(processor.ledger.ledger()).isEmpty();
  }

  @Test
  void aProcessorThatDoesNotAnswerKeepsTheGateClosedWithoutAnOfflinePolicy() throws Exception {
    start(OfflineEntryPolicy.NEVER);
    processor.stopAnswering();

    assertThatThrownBy(() -> admit("c-alice"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).as("try again").isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("no answer within 300 ms")
              .contains("admits nobody without one");
          assertThat(refusal(e)).isEqualTo(EntryHold.TRY_AGAIN);
        });
    processor.goDown();
    assertThatThrownBy(() -> admit("c-alice"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

    processor.answerAgain();
    assertNoVisit();
    assertThat(processor.ledger.openAuthorizations()).as("what the unanswered requests held is voided").isEmpty();
    assertThat(processor.ledger.ledger()).extracting(LedgerEntry::operation).as("nothing charged")
        .containsOnly(Operation.AUTHORIZE, Operation.VOID);
  }

  @Test
  void anApprovedHoldAtTheGateIsTheVisitsAuthorizationAndItIsCapturedOnce() throws Exception {
    start(OfflineEntryPolicy.NEVER);

    AdmitPartyResponse admitted = admit("c-alice");
    assertThat(admitted.getHold()).isEqualTo(EntryHold.HOLD_PLACED);
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    VisitId visit = VisitId.of(admitted.getVisitId());
    assertThat(payments.stage(visit)).contains(Stage.HELD);
    assertThat(processor.ledger.ledger()).extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE);

    settle(admitted, "c-alice", 3);
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.stage(visit)).contains(Stage.CAPTURED);
    List<LedgerEntry> ledger = processor.ledger.ledger();
    assertThat(ledger).extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE, Operation.CAPTURE);
    assertThat(ledger.get(1).authorizationId()).as("the gate's hold is the one captured")
        .isEqualTo(ledger.get(0).reference());
    assertThat(ledger.get(1).amount()).isEqualTo(Money.ofMinor(3 * 279, "USD"));
  }

  @Test
  void anUnreachableProcessorAdmitsUnderTheOfflinePolicyAndTheGatesAuthorizationIsChargedWhenItAnswers()
      throws Exception {
    start(OfflineEntryPolicy.upTo(2_500));
    processor.stopAnswering();

    AdmitPartyResponse admitted = admit("c-alice");
    assertThat(admitted.getHold()).isEqualTo(EntryHold.ADMITTED_WITHOUT_HOLD);
    assertThat(admitted.getOfflineCap().getMinor()).isEqualTo(2_500);
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    VisitId visit = VisitId.of(admitted.getVisitId());
    assertThat(payments.stage(visit)).contains(Stage.ADMITTED_WITHOUT_HOLD);
    assertThat(injector.getInstance(SessionRegistry.class).session(visit)).isPresent();

    settle(admitted, "c-alice", 3); // 8.37, under the cap of 25.00: charged once the processor answers
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    assertThat(injector.getInstance(ReceiptBook.class).receipt(visit).orElseThrow().status())
        .isEqualTo(ReceiptStatus.CHARGED);
    processor.answerAgain();
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.stage(visit)).contains(Stage.CAPTURED);
    List<LedgerEntry> ledger = processor.ledger.ledger();
    assertThat(ledger).as("the gate's authorization, asked again, is the one charged")
        .extracting(LedgerEntry::operation, LedgerEntry::amount).containsExactly(
            org.assertj.core.groups.Tuple.tuple(Operation.AUTHORIZE, Money.ofMinor(5_000, "USD")),
            org.assertj.core.groups.Tuple.tuple(Operation.CAPTURE, Money.ofMinor(837, "USD")));
    assertThat(ledger.get(1).authorizationId()).isEqualTo(ledger.get(0).reference());
  }

  @Test
  void aCartOverTheOfflineCapIsHeldForReviewWithAnIncidentAndNothingCharged() throws Exception {
    start(OfflineEntryPolicy.upTo(500));
    processor.goDown();

    AdmitPartyResponse admitted = admit("c-alice");
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    VisitId visit = VisitId.of(admitted.getVisitId());
    assertThat(payments.stage(visit)).contains(Stage.ADMITTED_WITHOUT_HOLD);

    settle(admitted, "c-alice", 3); // 8.37 over the cap of 5.00
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.stage(visit)).contains(Stage.OVER_OFFLINE_CAP);
    var receipt = injector.getInstance(ReceiptBook.class).receipt(visit).orElseThrow();
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt.reasons()).anySatisfy(r -> assertThat(r).contains("more than the USD 5.00")
        .contains("nothing was charged"));
    assertThat(injector.getInstance(IncidentLog.class).all()).singleElement().satisfies(i -> {
      assertThat(i.getKind()).isEqualTo(IncidentKind.OVER_OFFLINE_CAP);
      assertThat(i.getVisitId()).isEqualTo(visit.value());
      assertThat(i.getAmount().getMinor()).isEqualTo(837);
    });
    assertThat(processor.ledger.ledger()).as("never a silent charge over the cap").isEmpty();

    // The processor answers: the gate's authorization is held for the reviewer, nothing is captured, also when
    // checkout is seen again (a restart replaying input).
    processor.answerAgain();
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    settle(admitted, "c-alice", 3);
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.stage(visit)).contains(Stage.OVER_OFFLINE_CAP);
    assertThat(processor.ledger.ledger()).extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE);
  }

  @Test
  void aGateThatAsksBeforeOpeningGetsTheHoldAndTheEntryItReportsTakesItOver() throws Exception {
    start(OfflineEntryPolicy.NEVER);
    assertThatThrownBy(() -> SessionServiceGrpc.newBlockingStub(
            callers.shopper("alices-phone", Credential.of("c-alice")).on(connection))
        .requestEntry(RequestEntryRequest.newBuilder().setGate(GATE.value()).setCredential("c-alice").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

    assertThat(requestEntry("c-alice").getHold()).isEqualTo(EntryHold.HOLD_PLACED);
    assertThat(processor.ledger.ledger()).extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE);
    assertThat(requestEntry("c-alice").getHold()).as("asked again before the entry: the same hold")
        .isEqualTo(EntryHold.HOLD_PLACED_EARLIER);
    VisitId visit = reportEntry("c-alice", 1);

    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.stage(visit)).contains(Stage.HELD);
    assertThat(processor.ledger.ledger()).as("the entry took the gate's hold over; none placed after it")
        .extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE);

    settle(visit, "c-alice", 2);
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    List<LedgerEntry> ledger = processor.ledger.ledger();
    assertThat(ledger).extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE, Operation.CAPTURE);
    assertThat(ledger.get(1).authorizationId()).isEqualTo(ledger.get(0).reference());
    assertThat(payments.stage(visit)).contains(Stage.CAPTURED);
  }

  @Test
  void anAskingGateStaysClosedForADeclinedCardOrAnUnreachableProcessor() throws Exception {
    start(OfflineEntryPolicy.NEVER);

    assertThatThrownBy(() -> requestEntry("decline-card-1"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("declined");
          assertThat(refusal(e)).isEqualTo(EntryHold.DECLINED);
        });
    processor.goDown();
    assertThatThrownBy(() -> requestEntry("c-alice"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).as("try again").isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(refusal(e)).isEqualTo(EntryHold.TRY_AGAIN);
        });
    assertThatThrownBy(() -> SessionServiceGrpc.newBlockingStub(gateway).requestEntry(RequestEntryRequest.newBuilder()
            .setGate("out-1").setCredential("c-alice").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND));

    processor.answerAgain();
    assertNoVisit();
    assertThat(processor.ledger.openAuthorizations()).as("the hold asked for while down is voided").isEmpty();
    assertThat(processor.ledger.ledger()).extracting(LedgerEntry::operation)
        .containsExactly(Operation.AUTHORIZE, Operation.VOID);
  }

  @Test
  void aPartyThatDoesNotComeThroughAfterAllHasItsHoldReleased() throws Exception {
    start(OfflineEntryPolicy.NEVER);

    requestEntry("c-alice");
    SessionServiceGrpc.newBlockingStub(gateway).cancelEntry(CancelEntryRequest.newBuilder()
        .setGate(GATE.value()).setCredential("c-alice").build());

    assertThat(injector.getInstance(VisitPayments.class).awaitIdle(Duration.ofSeconds(10))).isTrue();
    List<LedgerEntry> ledger = processor.ledger.ledger();
    assertThat(ledger).extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE, Operation.VOID);
    assertThat(ledger.get(1).authorizationId()).isEqualTo(ledger.get(0).reference());
  }

  @Test
  void anEntryReportedWithoutAskingWhileTheProcessorIsDownStaysUnderTheOfflinePolicysCap() throws Exception {
    VisitId visit = enteredWithoutAskingWhileTheProcessorIsDown(500);
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    settle(visit, "c-alice", 3); // 8.37 over the cap of 5.00
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.stage(visit)).contains(Stage.OVER_OFFLINE_CAP);
    assertThat(injector.getInstance(ReceiptBook.class).receipt(visit).orElseThrow().status())
        .isEqualTo(ReceiptStatus.REVIEW);
    assertThat(injector.getInstance(IncidentLog.class).all()).singleElement()
        .satisfies(i -> assertThat(i.getKind()).isEqualTo(IncidentKind.OVER_OFFLINE_CAP));
    assertThat(processor.ledger.ledger()).as("nothing charged over the cap").isEmpty();

    processor.answerAgain();
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.stage(visit)).as("the entry's hold is kept for the reviewer").contains(Stage.OVER_OFFLINE_CAP);
    assertThat(processor.ledger.ledger()).extracting(LedgerEntry::operation).containsExactly(Operation.AUTHORIZE);
  }

  @Test
  void anEntryReportedWithoutAskingWithinTheCapIsChargedOnce() throws Exception {
    VisitId visit = enteredWithoutAskingWhileTheProcessorIsDown(2_500);
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    settle(visit, "c-alice", 3);
    processor.answerAgain();
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.stage(visit)).contains(Stage.CAPTURED);
    List<LedgerEntry> ledger = processor.ledger.ledger();
    assertThat(ledger).extracting(LedgerEntry::operation, LedgerEntry::amount).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Operation.AUTHORIZE, Money.ofMinor(5_000, "USD")),
        org.assertj.core.groups.Tuple.tuple(Operation.CAPTURE, Money.ofMinor(837, "USD")));
    assertThat(ledger.get(1).authorizationId()).isEqualTo(ledger.get(0).reference());
  }

  /**
   * A store whose offline policy caps at {@code capMinor}: its gate's scanner reports an entry without asking while
   * the processor is down, and the visit starts as the policy would have admitted it at the gate. The processor stays
   * down.
   */
  private VisitId enteredWithoutAskingWhileTheProcessorIsDown(long capMinor) throws Exception {
    start(OfflineEntryPolicy.upTo(capMinor));
    processor.goDown();
    VisitId visit = reportEntry("c-alice", 1);
    assertThat(injector.getInstance(VisitPayments.class).stage(visit))
        .as("as if the gate had asked and the policy let the party in").contains(Stage.ADMITTED_WITHOUT_HOLD);
    return visit;
  }

  private RequestEntryResponse requestEntry(String credential) {
    return SessionServiceGrpc.newBlockingStub(gateway).requestEntry(RequestEntryRequest.newBuilder()
        .setGate(GATE.value()).setCredential(credential).build());
  }

  /** What a refused admission or entry request says about the hold, in its trailers. */
  static EntryHold refusal(StatusRuntimeException e) {
    Metadata trailers = Objects.requireNonNull(e.getTrailers(), "trailers");
    EntryRefusal refusal = Objects.requireNonNull(trailers.get(SessionGrpcService.REFUSAL), "the refusal's trailer");
    return refusal.getHold();
  }

  /**
   * The gate's scanner reports an entry on its sensor stream, as gates do once they opened; event time then moves
   * past the reordering window so that it is processed. Returns the visit it started.
   */
  private VisitId reportEntry(String credential, long sequence) throws Exception {
    long ts = InProcessStore.sendAccepted(gateway, List.of(SensorEventMessage.newBuilder()
        .setSource("gate-" + GATE.value()).setSequence(sequence)
        .setEntry(EntryScan.newBuilder().setGate(GATE.value()).setCredential(credential).setPartySize(1)).build()));
    injector.getInstance(StorePipeline.class).advanceTo(ts + 2_000);
    assertThat(injector.getInstance(VisitPayments.class).awaitTasks(Duration.ofSeconds(10))).isTrue();
    return injector.getInstance(SessionRegistry.class).sessions().stream()
        .filter(session -> session.admission().credential().equals(Credential.of(credential)))
        .map(session -> session.admission().visitId()).findFirst().orElseThrow();
  }

  /** Admits a party over gRPC, then moves event time past the reordering window so the entry is processed. */
  private AdmitPartyResponse admit(String credential) {
    AdmitPartyResponse admitted = SessionServiceGrpc.newBlockingStub(staff).admitParty(AdmitPartyRequest.newBuilder()
        .setGate(GATE.value()).setCredential(credential).setPartySize(1).build());
    injector.getInstance(StorePipeline.class).advanceTo(admitted.getAdmittedAtMs() + 2_000);
    return admitted;
  }

  private void settle(AdmitPartyResponse admitted, String credential, int units) {
    settle(VisitId.of(admitted.getVisitId()), credential, units);
  }

  private void settle(VisitId visit, String credential, int units) {
    long admittedAt = injector.getInstance(SessionRegistry.class).session(visit).orElseThrow().admission().ts();
    Admission admission = new Admission(visit, admittedAt, GATE, Credential.of(credential), 1, null);
    long exit = admittedAt + 60_000;
    injector.getInstance(VisitSettlement.class).settle(new VisitOutcome(admission, ReceiptStatus.CHARGED,
        List.of(new LineItem(Sku.of("0003"), units, Money.ofMinor(279, "USD"))), exit, exit + 1_000, List.of()));
  }

  private void assertNoVisit() throws InterruptedException {
    injector.getInstance(StorePipeline.class).advanceTo(System.currentTimeMillis() + 5_000);
    assertThat(injector.getInstance(VisitPayments.class).awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(injector.getInstance(SessionRegistry.class).sessions()).as("the party never became a visit").isEmpty();
  }

  /** The simulated processor behind a switch: answering, down (an error at once), or not answering at all. */
  private static final class GateProcessor implements PaymentProvider {
    final SimulatedCardProcessor ledger = new SimulatedCardProcessor();
    private volatile boolean down;
    private volatile CountDownLatch silence = new CountDownLatch(0);

    void goDown() {
      down = true;
    }

    void stopAnswering() {
      silence = new CountDownLatch(1);
    }

    void answerAgain() {
      down = false;
      silence.countDown();
    }

    private void reach() {
      if (down) {
        throw new PaymentException("connection refused (simulated outage)", true);
      }
      try {
        silence.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PaymentException("interrupted", true, e);
      }
    }

    @Override
    public AuthorizationResult authorize(AuthorizationRequest request) {
      reach();
      return ledger.authorize(request);
    }

    @Override
    public AuthorizationResult incrementAuthorization(IncrementRequest request) {
      reach();
      return ledger.incrementAuthorization(request);
    }

    @Override
    public CaptureResult capture(CaptureRequest request) {
      reach();
      return ledger.capture(request);
    }

    @Override
    public void release(String idempotencyKey, String authorizationId) {
      reach();
      ledger.release(idempotencyKey, authorizationId);
    }

    @Override
    public RefundResult refund(RefundRequest request) {
      reach();
      return ledger.refund(request);
    }
  }
}
