package dev.jwo.payments.settlement;

import static dev.jwo.payments.TestLayouts.JUICE;
import static dev.jwo.payments.TestLayouts.WATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.CaptureRequest;
import dev.jwo.payments.CaptureResult;
import dev.jwo.payments.IncrementRequest;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.RefundRequest;
import dev.jwo.payments.RefundResult;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.v1.PaymentState;
import dev.jwo.payments.v1.PaymentState.Stage;
import dev.jwo.payments.v1.StoredRefund;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Payments for visits, against the simulated processor: a hold of 50.00 USD, retries after 200 ms doubling up to
 * 10 s with half of each wait random, giving up after an hour. Retries run on a manual scheduler and clock.
 */
class VisitPaymentsTest {
  static final long T = 1_764_410_400_000L;
  static final dev.jwo.payments.EntryTimes ENTRIES = new dev.jwo.payments.EntryTimes(T);
  static final PaymentSettings SETTINGS = new PaymentSettings(
      5_000, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(10), 0.5, Duration.ofHours(1));

  private final StoreLayout layout = TestLayouts.store();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScriptedProvider provider = new ScriptedProvider();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<VisitPayments> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(VisitPayments::close);
  }

  @Test
  void aHoldIsPlacedOnTheCardWhenThePartyIsAdmitted() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    EntryEvent entry = entry("c-1");

    payments.onEvent(entry);
    payments.onEvent(entry);
    tasks(payments);

    String visit = Admission.from(entry).visitId().value();
    assertThat(provider.calls).containsExactly("authorize " + visit + "/authorize 5000");
    assertThat(state(visit).getStage()).isEqualTo(Stage.HELD);
    assertThat(state(visit).getAuthorizedMinor()).isEqualTo(5_000);
    assertThat(payments.stage(Admission.from(entry).visitId())).contains(Stage.HELD);
  }

  @Test
  void aChargedVisitIsCapturedOnceHoweverOftenItIsSettled() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");
    VisitOutcome outcome = charged(admission, new LineItem(WATER, 2, usd(199)));

    payments.settle(outcome);
    payments.settle(outcome);
    tasks(payments);

    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(receipt.total()).isEqualTo(usd(398));
    assertThat(receipt.items()).isEqualTo(outcome.items());
    assertThat(receipt.exitTs()).isEqualTo(T + 60_000);
    assertThat(receipt.finalizedTs()).isEqualTo(T + 61_500);
    assertThat(receipt.reasons()).isEmpty();
    assertThat(provider.simulated.captures()).singleElement().satisfies(c -> {
      assertThat(c.amount()).isEqualTo(usd(398));
      assertThat(receipt.paymentReference()).isEqualTo(c.captureId());
    });
    assertThat(provider.simulated.callsWithKey(admission.visitId() + "/capture")).isEqualTo(1);
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.CAPTURED);
  }

  @Test
  void anEmptyCartVoidsTheHold() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");

    payments.settle(charged(admission));
    tasks(payments);

    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(receipt(admission).total().isZero()).isTrue();
    assertThat(provider.calls).containsExactly(
        "authorize " + admission.visitId() + "/authorize 5000", "release " + admission.visitId() + "/void");
    assertThat(provider.simulated.captures()).isEmpty();
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.VOIDED);
    String authorization = state(admission.visitId().value()).getAuthorizationId();
    assertThatThrownBy(() -> provider.simulated.capture(new CaptureRequest("probe", authorization, usd(1))))
        .hasMessageContaining("already released");
  }

  @Test
  void aTotalAboveTheHoldRaisesTheAuthorizationThenCapturesIt() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");
    String hold = state(admission.visitId().value()).getAuthorizationId();

    payments.settle(charged(admission, new LineItem(JUICE, 2, usd(2_999))));
    tasks(payments);

    String visit = admission.visitId().value();
    assertThat(provider.calls).containsExactly(
        "authorize " + visit + "/authorize 5000",
        "increment " + visit + "/increment 998",
        "capture " + visit + "/capture 5998");
    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(provider.simulated.captures()).extracting(CaptureResult::amount).containsExactly(usd(5_998));
    assertThat(state(visit).getAuthorizationId()).isEqualTo(hold);
    assertThat(state(visit).getAuthorizedMinor()).isEqualTo(5_998);
  }

  @Test
  void aDeclinedIncrementFailsTheVisitForReviewWithoutCharging() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "limit-3");

    payments.settle(charged(admission, new LineItem(JUICE, 2, usd(2_999))));
    tasks(payments);

    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.FAILED);
    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt.reasons()).singleElement().asString()
        .startsWith(VisitPayments.FAILED_REASON + "the card was declined for the total");
    assertThat(provider.simulated.captures()).isEmpty();
  }

  @Test
  void aDeclinedCardHoldsTheReceiptForReviewWithTheReason() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "decline-7");
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.HOLD_DECLINED);

    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    tasks(payments);

    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt.reasons()).singleElement().asString()
        .startsWith(VisitPayments.FAILED_REASON + "the card was declined");
    assertThat(receipt.total()).isEqualTo(usd(199));
    assertThat(receipt.paymentReference()).isEmpty();
    assertThat(provider.simulated.captures()).isEmpty();
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.FAILED);
  }

  @Test
  void aVisitHeldForReviewIsNotChargedAndKeepsItsHold() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");

    payments.settle(new VisitOutcome(admission, ReceiptStatus.REVIEW, List.of(new LineItem(WATER, 1, usd(199))),
        T + 60_000, T + 61_500, List.of("hands of two visits were near bin A1-1")));
    tasks(payments);

    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt(admission).reasons()).containsExactly("hands of two visits were near bin A1-1");
    assertThat(provider.calls).containsExactly("authorize " + admission.visitId() + "/authorize 5000");
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.HELD);
  }

  @Test
  void aRetriableFailureIsQueuedAndRetriedWithBackoffAndTheSameKey() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");
    provider.failingCaptures.set(3);

    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    tasks(payments);

    String visit = admission.visitId().value();
    assertThat(state(visit).getStage()).isEqualTo(Stage.CAPTURE_PENDING);
    assertThat(payments.queuedCount()).isEqualTo(1);
    Receipt queued = receipt(admission);
    assertThat(queued.status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(queued.paymentReference()).isEmpty();
    assertThat(queued.reasons()).singleElement().asString().startsWith(VisitPayments.QUEUED_REASON);

    drain(payments);

    assertThat(provider.calls).filteredOn(c -> c.startsWith("capture"))
        .hasSize(4).containsOnly("capture " + visit + "/capture 199");
    List<Duration> waits = scheduler.delays();
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(waits.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
    assertThat(state(visit).getStage()).isEqualTo(Stage.CAPTURED);
    assertThat(receipt(admission).reasons()).isEmpty();
    assertThat(receipt(admission).paymentReference()).isEqualTo(state(visit).getCaptureId());
    assertThat(provider.simulated.captures()).hasSize(1);
    assertThat(payments.queuedCount()).isZero();
    assertThat(registry.get("jwo.payments.retries").tag("stage", "CAPTURE_PENDING").counter().count())
        .isEqualTo(3);
  }

  @Test
  void aProviderDownForLongerThanTheLimitLeavesTheVisitFailedForReview() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");
    provider.failingCaptures.set(Integer.MAX_VALUE);

    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    drain(payments);

    PaymentState state = state(admission.visitId().value());
    assertThat(state.getStage()).isEqualTo(Stage.FAILED);
    assertThat(state.getFailure()).startsWith("gave up after");
    assertThat(scheduler.delays().get(scheduler.delays().size() - 1))
        .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt.reasons()).singleElement().asString().startsWith(VisitPayments.FAILED_REASON + "gave up");
    assertThat(provider.simulated.captures()).isEmpty();
  }

  @Test
  void aCallWithoutAnAnswerInTimeIsRetriedWithTheSameKey() throws Exception {
    VisitPayments payments = payments(new PaymentSettings(
        5_000, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(10), 0.5, Duration.ofHours(1)));
    Admission admission = admit(payments, "c-1");
    provider.hangingCaptures.set(1);

    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    drain(payments);

    String key = admission.visitId() + "/capture";
    assertThat(provider.calls).filteredOn(c -> c.startsWith("capture")).containsExactly(
        "capture " + key + " 199", "capture " + key + " 199");
    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(provider.simulated.captures()).hasSize(1);
  }

  @Test
  void aRestartedServerTakesUpTheQueueItLeft() throws Exception {
    VisitPayments first = payments(SETTINGS);
    Admission admission = admit(first, "c-1");
    provider.failingCaptures.set(Integer.MAX_VALUE);
    first.settle(charged(admission, new LineItem(WATER, 2, usd(199))));
    tasks(first);
    first.close();
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.CAPTURE_PENDING);

    provider.failingCaptures.set(0);
    ManualScheduler afterRestart = new ManualScheduler();
    VisitPayments restarted = payments(SETTINGS, afterRestart);
    assertThat(restarted.queuedCount()).isEqualTo(1);
    afterRestart.runNext();
    tasks(restarted);

    assertThat(state(admission.visitId().value()).getStage()).isEqualTo(Stage.CAPTURED);
    assertThat(provider.simulated.captures()).singleElement().extracting(CaptureResult::amount)
        .isEqualTo(usd(398));
    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(receipt(admission).reasons()).isEmpty();
  }

  @Test
  void aServerKilledBetweenCaptureRequestAndAnswerCapturesOnceAfterRestart() throws Exception {
    VisitPayments first = payments(SETTINGS);
    EntryEvent entry = entry("c-1");
    Admission admission = Admission.from(entry);
    first.onEvent(entry);
    tasks(first);
    provider.loseCaptureAnswers = true;
    first.settle(charged(admission, new LineItem(WATER, 2, usd(199))));
    tasks(first);
    first.close();
    String visit = admission.visitId().value();
    assertThat(state(visit).getStage()).isEqualTo(Stage.CAPTURE_PENDING);
    CaptureResult charged = provider.simulated.captures().get(0);

    provider.loseCaptureAnswers = false;
    VisitPayments restarted = payments(SETTINGS, new ManualScheduler());
    restarted.onEvent(entry);
    restarted.settle(charged(admission, new LineItem(WATER, 2, usd(199))));
    tasks(restarted);

    assertThat(provider.calls).containsExactly(
        "authorize " + visit + "/authorize 5000", "capture " + visit + "/capture 398",
        "capture " + visit + "/capture 398");
    assertThat(provider.simulated.captures()).containsExactly(charged);
    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(receipt.paymentReference()).isEqualTo(charged.captureId());
    assertThat(state(visit).getStage()).isEqualTo(Stage.CAPTURED);
  }

  @Test
  void aRestartedServerDoesNotChargeAChargedVisitAgain() throws Exception {
    VisitPayments first = payments(SETTINGS);
    Admission admission = admit(first, "c-1");
    first.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    tasks(first);
    first.close();

    VisitPayments restarted = payments(SETTINGS, new ManualScheduler());
    restarted.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    tasks(restarted);

    assertThat(provider.calls).filteredOn(c -> c.startsWith("capture")).hasSize(1);
    assertThat(provider.simulated.captures()).hasSize(1);
  }

  @Test
  void aRefundTheProviderCannotTakeNowIsQueuedAndTakenUpAfterARestart() throws Exception {
    VisitPayments first = payments(SETTINGS);
    Admission admission = admit(first, "c-1");
    first.settle(charged(admission, new LineItem(WATER, 3, usd(199))));
    tasks(first);
    provider.failingRefunds.set(Integer.MAX_VALUE);

    RefundRecord queued = first.refund(admission.visitId(), "d-v1-l0", usd(199)).get();
    RefundRecord again = first.refund(admission.visitId(), "d-v1-l0", usd(199)).get();
    first.close();
    provider.failingRefunds.set(0);
    ManualScheduler afterRestart = new ManualScheduler();
    VisitPayments restarted = payments(SETTINGS, afterRestart);
    afterRestart.runNext();
    tasks(restarted);

    assertThat(queued.status()).isEqualTo(StoredRefund.Status.PENDING);
    assertThat(again.status()).isEqualTo(StoredRefund.Status.PENDING);
    assertThat(restarted.refunds(admission.visitId())).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(StoredRefund.Status.DONE);
      assertThat(r.refundId()).isNotEmpty();
    });
    assertThat(provider.simulated.ledger()).filteredOn(e -> e.operation() == SimulatedCardProcessor.Operation.REFUND)
        .singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(usd(199)));
    assertThat(provider.calls).filteredOn(c -> c.startsWith("refund"))
        .containsOnly("refund " + admission.visitId() + "/refund/d-v1-l0 199");
    assertThat(state(admission.visitId().value()).getRefundedMinor()).isEqualTo(199);
    assertThat(restarted.refundCount()).isEqualTo(1);
  }

  @Test
  void aRefundBeyondTheCaptureIsRefusedBeforeTheProviderIsAsked() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");
    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    tasks(payments);

    assertThatThrownBy(() -> payments.refund(admission.visitId(), "d-v1-l0", usd(200)).get())
        .hasCauseInstanceOf(PaymentException.class).hasMessageContaining("exceeds what is left");
    assertThat(provider.calls).noneMatch(c -> c.startsWith("refund"));
  }

  @Test
  void backoffDoublesUpToItsLimitAndJitterStaysWithinItsShare() {
    assertThat(SETTINGS.backoff(1, 0)).isEqualTo(Duration.ofMillis(100));
    assertThat(SETTINGS.backoff(1, 0.999)).isEqualTo(Duration.ofMillis(200));
    assertThat(SETTINGS.backoff(3, 0)).isEqualTo(Duration.ofMillis(400));
    assertThat(SETTINGS.backoff(40, 0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(SETTINGS.backoff(40, 0.999)).isBetween(Duration.ofMillis(9_990), Duration.ofSeconds(10));
    assertThatThrownBy(() -> new PaymentSettings(
        1, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private VisitPayments payments(PaymentSettings settings) {
    return payments(settings, scheduler);
  }

  private VisitPayments payments(PaymentSettings settings, ManualScheduler on) {
    VisitPayments payments = new VisitPayments(
        layout, provider, settings, new ReceiptBook(storage, layout), storage, registry, on.clock, on,
        PaymentExportsTest.guard(layout, storage, ExportChannels.DEFAULTS), PaymentExportsTest.audit(storage),
        PaymentExportsTest.retention(layout, storage), java.util.Set.of());
    started.add(payments);
    return payments;
  }

  private Admission admit(VisitPayments payments, String credential) throws InterruptedException {
    EntryEvent entry = entry(credential);
    payments.onEvent(entry);
    tasks(payments);
    return Admission.from(entry);
  }

  private static void tasks(VisitPayments payments) throws InterruptedException {
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).as("payments done within 10 s").isTrue();
  }

  /** Runs queued retries, moving the manual clock, until none is left. */
  private void drain(VisitPayments payments) throws InterruptedException {
    tasks(payments);
    for (int i = 0; i < 10_000 && scheduler.runNext(); i++) {
      tasks(payments);
    }
    assertThat(scheduler.hasPending()).isFalse();
  }

  private Receipt receipt(Admission admission) {
    return new ReceiptBook(storage, layout).receipt(admission.visitId()).orElseThrow();
  }

  private PaymentState state(String visit) throws InvalidProtocolBufferException {
    return PaymentState.parseFrom(storage.table(VisitPayments.TABLE).get(visit).orElseThrow().value());
  }

  private static EntryEvent entry(String credential) {
    return new EntryEvent(ENTRIES.of(credential), GateId.of("in-1"), Credential.of(credential), 1, null);
  }

  private static VisitOutcome charged(Admission admission, LineItem... items) {
    return new VisitOutcome(admission, ReceiptStatus.CHARGED, List.of(items), T + 60_000, T + 61_500, List.of());
  }

  private static Money usd(long minor) {
    return Money.ofMinor(minor, "USD");
  }

  /**
   * The simulated processor behind a line that can fail captures (retriably), hang until the caller gives up, or
   * lose the answer of a capture it made. Records every call as {@code "kind key amount"}.
   */
  static final class ScriptedProvider implements PaymentProvider {
    final SimulatedCardProcessor simulated = new SimulatedCardProcessor();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failingCaptures = new AtomicInteger();
    final AtomicInteger hangingCaptures = new AtomicInteger();
    final AtomicInteger failingRefunds = new AtomicInteger();
    volatile boolean loseCaptureAnswers;

    @Override
    public AuthorizationResult authorize(AuthorizationRequest request) {
      calls.add("authorize " + request.idempotencyKey() + " " + request.amount().minor());
      return simulated.authorize(request);
    }

    @Override
    public AuthorizationResult incrementAuthorization(IncrementRequest request) {
      calls.add("increment " + request.idempotencyKey() + " " + request.additional().minor());
      return simulated.incrementAuthorization(request);
    }

    @Override
    public CaptureResult capture(CaptureRequest request) {
      calls.add("capture " + request.idempotencyKey() + " " + request.amount().minor());
      if (failingCaptures.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
        throw new PaymentException("connection refused", true);
      }
      if (hangingCaptures.getAndDecrement() > 0) {
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new PaymentException("no answer", true);
      }
      CaptureResult result = simulated.capture(request);
      if (loseCaptureAnswers) {
        throw new PaymentException("the connection was lost before the answer arrived", true);
      }
      return result;
    }

    @Override
    public void release(String idempotencyKey, String authorizationId) {
      calls.add("release " + idempotencyKey);
      simulated.release(idempotencyKey, authorizationId);
    }

    @Override
    public RefundResult refund(RefundRequest request) {
      calls.add("refund " + request.idempotencyKey() + " " + request.amount().minor());
      if (failingRefunds.get() > 0) {
        throw new PaymentException("connection refused", true);
      }
      return simulated.refund(request);
    }
  }
}
