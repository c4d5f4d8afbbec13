package dev.jwo.payments.settlement;

import static dev.jwo.payments.TestLayouts.JUICE;
import static dev.jwo.payments.TestLayouts.WATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
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
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.v1.PaymentState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Payments for visits, against the simulated processor: a hold of 50.00 USD, three attempts per call. Provider calls
 * may take 5 s, except in the tests of timeouts.
 */
class VisitPaymentsTest {
  static final long T = 1_764_410_400_000L;
  static final PaymentSettings SETTINGS = new PaymentSettings(5_000, Duration.ofSeconds(5), 3, Duration.ofMillis(1));
  static final PaymentSettings SHORT_TIMEOUT =
      new PaymentSettings(5_000, Duration.ofMillis(300), 3, Duration.ofMillis(1));

  private final StoreLayout layout = TestLayouts.store();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScriptedProvider provider = new ScriptedProvider();
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
    idle(payments);

    String visit = Admission.from(entry).visitId().value();
    assertThat(provider.calls).containsExactly("authorize " + visit + "/authorize 5000");
    assertThat(state(visit).getStage()).isEqualTo("AUTHORIZED");
    assertThat(state(visit).getAuthorizedMinor()).isEqualTo(5_000);
  }

  @Test
  void aChargedVisitIsCapturedOnceHoweverOftenItIsSettled() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");
    VisitOutcome outcome = charged(admission, new LineItem(WATER, 2, usd(199)));

    payments.settle(outcome);
    payments.settle(outcome);
    idle(payments);

    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(receipt.total()).isEqualTo(usd(398));
    assertThat(receipt.items()).isEqualTo(outcome.items());
    assertThat(receipt.exitTs()).isEqualTo(T + 60_000);
    assertThat(receipt.finalizedTs()).isEqualTo(T + 61_500);
    assertThat(provider.simulated.captures()).singleElement().satisfies(c -> {
      assertThat(c.amount()).isEqualTo(usd(398));
      assertThat(receipt.paymentReference()).isEqualTo(c.captureId());
    });
    assertThat(provider.simulated.callsWithKey(admission.visitId() + "/capture")).isEqualTo(1);
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo("CAPTURED");
  }

  @Test
  void anEmptyCartReleasesTheHold() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");

    payments.settle(charged(admission));
    idle(payments);

    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(receipt(admission).total().isZero()).isTrue();
    assertThat(provider.calls).containsExactly(
        "authorize " + admission.visitId() + "/authorize 5000", "release " + admission.visitId() + "/release");
    assertThat(provider.simulated.captures()).isEmpty();
    String authorization = state(admission.visitId().value()).getAuthorizationId();
    assertThatThrownBy(() -> provider.simulated.capture(new CaptureRequest("probe", authorization, usd(1))))
        .hasMessageContaining("already released");
  }

  @Test
  void aTotalAboveTheHoldIsAuthorizedAgainAndTheFirstHoldReleased() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");
    String firstHold = state(admission.visitId().value()).getAuthorizationId();

    payments.settle(charged(admission, new LineItem(JUICE, 2, usd(2_999))));
    idle(payments);

    String visit = admission.visitId().value();
    assertThat(provider.calls).containsExactly(
        "authorize " + visit + "/authorize 5000",
        "authorize " + visit + "/authorize-total 5998",
        "release " + visit + "/release-hold",
        "capture " + visit + "/capture 5998");
    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(provider.simulated.captures()).extracting(CaptureResult::amount).containsExactly(usd(5_998));
    assertThat(state(visit).getAuthorizationId()).isNotEqualTo(firstHold);
    assertThatThrownBy(() -> provider.simulated.capture(new CaptureRequest("probe", firstHold, usd(1))))
        .hasMessageContaining("already released");
  }

  @Test
  void aDeclinedCardHoldsTheReceiptForReviewWithTheReason() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "decline-7");
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo("DECLINED");

    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    idle(payments);

    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt.reasons()).singleElement().asString()
        .startsWith("the payment could not be completed: the card was declined");
    assertThat(receipt.total()).isEqualTo(usd(199));
    assertThat(receipt.paymentReference()).isEmpty();
    assertThat(provider.simulated.captures()).isEmpty();
  }

  @Test
  void aVisitHeldForReviewIsNotChargedAndKeepsItsHold() throws Exception {
    VisitPayments payments = payments(SETTINGS);
    Admission admission = admit(payments, "c-1");

    payments.settle(new VisitOutcome(admission, ReceiptStatus.REVIEW, List.of(new LineItem(WATER, 1, usd(199))),
        T + 60_000, T + 61_500, List.of("hands of two visits were near bin A1-1")));
    idle(payments);

    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt(admission).reasons()).containsExactly("hands of two visits were near bin A1-1");
    assertThat(provider.calls).containsExactly("authorize " + admission.visitId() + "/authorize 5000");
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo("AUTHORIZED");
  }

  @Test
  void aCallThatTimesOutIsRetriedWithTheSameIdempotencyKey() throws Exception {
    VisitPayments payments = payments(SHORT_TIMEOUT);
    Admission admission = admit(payments, "c-1");
    provider.hangingCaptures.set(1);

    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    idle(payments);

    String key = admission.visitId() + "/capture";
    assertThat(provider.calls).filteredOn(c -> c.startsWith("capture"))
        .hasSizeGreaterThanOrEqualTo(2)
        .containsOnly("capture " + key + " 199");
    assertThat(receipt(admission).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(provider.simulated.captures()).hasSize(1);
    assertThat(registry.get("jwo.payments.retries").tag("call", "capture").counter().count()).isPositive();
  }

  @Test
  void aCallThatKeepsTimingOutLeavesTheVisitForReview() throws Exception {
    VisitPayments payments = payments(new PaymentSettings(5_000, Duration.ofMillis(200), 2, Duration.ofMillis(1)));
    Admission admission = admit(payments, "c-1");
    provider.hangingCaptures.set(Integer.MAX_VALUE);

    payments.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    idle(payments);

    Receipt receipt = receipt(admission);
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.REVIEW);
    assertThat(receipt.reasons()).singleElement().asString().contains("capture timed out 2 times");
    assertThat(provider.calls).filteredOn(c -> c.startsWith("capture")).hasSize(2);
    assertThat(state(admission.visitId().value()).getStage()).isEqualTo("CAPTURE_REQUESTED");
  }

  @Test
  void aRestartedServerRepeatsAnInterruptedCaptureWithTheSameKey() throws Exception {
    VisitPayments first = payments(SETTINGS);
    EntryEvent entry = entry("c-1");
    Admission admission = Admission.from(entry);
    first.onEvent(entry);
    idle(first);
    provider.failAfterCapture = true;
    first.settle(charged(admission, new LineItem(WATER, 2, usd(199))));
    idle(first);
    first.close();
    String visit = admission.visitId().value();
    assertThat(state(visit).getStage()).isEqualTo("CAPTURE_REQUESTED");
    CaptureResult charged = provider.simulated.captures().get(0);

    provider.failAfterCapture = false;
    VisitPayments restarted = payments(SETTINGS);
    restarted.onEvent(entry);
    restarted.settle(charged(admission, new LineItem(WATER, 2, usd(199))));
    idle(restarted);

    assertThat(provider.calls).containsExactly(
        "authorize " + visit + "/authorize 5000", "capture " + visit + "/capture 398",
        "capture " + visit + "/capture 398");
    assertThat(provider.simulated.captures()).containsExactly(charged);
    Receipt receipt = new ReceiptBook(storage, layout).receipt(admission.visitId()).orElseThrow();
    assertThat(receipt.status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(receipt.paymentReference()).isEqualTo(charged.captureId());
    assertThat(state(visit).getStage()).isEqualTo("CAPTURED");
  }

  @Test
  void aRestartedServerDoesNotChargeAChargedVisitAgain() throws Exception {
    VisitPayments first = payments(SETTINGS);
    Admission admission = admit(first, "c-1");
    first.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    idle(first);
    first.close();

    VisitPayments restarted = payments(SETTINGS);
    restarted.settle(charged(admission, new LineItem(WATER, 1, usd(199))));
    idle(restarted);

    assertThat(provider.calls).filteredOn(c -> c.startsWith("capture")).hasSize(1);
    assertThat(provider.simulated.captures()).hasSize(1);
  }

  private VisitPayments payments(PaymentSettings settings) {
    VisitPayments payments =
        new VisitPayments(layout, provider, settings, new ReceiptBook(storage, layout), storage, registry);
    started.add(payments);
    return payments;
  }

  private Admission admit(VisitPayments payments, String credential) throws InterruptedException {
    EntryEvent entry = entry(credential);
    payments.onEvent(entry);
    idle(payments);
    return Admission.from(entry);
  }

  private static void idle(VisitPayments payments) throws InterruptedException {
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).as("payments done within 10 s").isTrue();
  }

  private Receipt receipt(Admission admission) {
    return new ReceiptBook(storage, layout).receipt(admission.visitId()).orElseThrow();
  }

  private PaymentState state(String visit) throws InvalidProtocolBufferException {
    return PaymentState.parseFrom(storage.table(VisitPayments.TABLE).get(visit).orElseThrow().value());
  }

  private static EntryEvent entry(String credential) {
    return new EntryEvent(T, GateId.of("in-1"), Credential.of(credential), 1, null);
  }

  private static VisitOutcome charged(Admission admission, LineItem... items) {
    return new VisitOutcome(admission, ReceiptStatus.CHARGED, List.of(items), T + 60_000, T + 61_500, List.of());
  }

  private static Money usd(long minor) {
    return Money.ofMinor(minor, "USD");
  }


  /**
   * The simulated processor behind a line that can hang (until the caller gives up) or drop the answer of a
   * capture it made. Records every call as {@code "kind key amount"}.
   */
  static final class ScriptedProvider implements PaymentProvider {
    final SimulatedCardProcessor simulated = new SimulatedCardProcessor();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger hangingCaptures = new AtomicInteger();
    volatile boolean failAfterCapture;

    @Override
    public AuthorizationResult authorize(AuthorizationRequest request) {
      calls.add("authorize " + request.idempotencyKey() + " " + request.amount().minor());
      return simulated.authorize(request);
    }

    @Override
    public CaptureResult capture(CaptureRequest request) {
      calls.add("capture " + request.idempotencyKey() + " " + request.amount().minor());
      if (hangingCaptures.getAndDecrement() > 0) {
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new PaymentException("no answer", true);
      }
      CaptureResult result = simulated.capture(request);
      if (failAfterCapture) {
        throw new PaymentException("the connection was lost before the answer arrived", false);
      }
      return result;
    }

    @Override
    public void release(String idempotencyKey, String authorizationId) {
      calls.add("release " + idempotencyKey);
      simulated.release(idempotencyKey, authorizationId);
    }
  }
}
