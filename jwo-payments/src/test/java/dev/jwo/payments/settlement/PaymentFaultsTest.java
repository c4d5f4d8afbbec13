package dev.jwo.payments.settlement;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.jwo.payments.simulated.SimulatedCardProcessor.LedgerEntry;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.PaymentState.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A busy day of visits against a processor that misbehaves, judged by the simulated processor's own ledger: every
 * visit must end captured exactly once for its total, voided with nothing charged, or failed with nothing charged
 * and a receipt held for review; none may be lost in a pending stage. Carts are drawn from a seeded random, so a
 * failure repeats.
 */
class PaymentFaultsTest {
  private static final long T = 1_764_410_400_000L;
  static final dev.jwo.payments.EntryTimes ENTRIES = new dev.jwo.payments.EntryTimes(T);
  private static final PaymentSettings SETTINGS = new PaymentSettings(
      5_000, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(30), 0.5, Duration.ofDays(1));
  private static final int VISITS = 300;

  private final StoreLayout layout = TestLayouts.store();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final FaultyProcessor processor = new FaultyProcessor(new Random(13));
  private final List<VisitPayments> started = new ArrayList<>();
  private final List<VisitOutcome> outcomes = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(VisitPayments::close);
  }

  @Test
  void twentyPercentTimeoutsChargeEveryVisitExactlyOnce() throws Exception {
    processor.timeoutShare = 0.2;
    ManualScheduler scheduler = new ManualScheduler();
    VisitPayments payments = payments(scheduler);

    day(payments, 0, VISITS);
    drain(payments, scheduler);

    judge();
    assertThat(processor.timeouts).as("timeouts injected").isGreaterThan(VISITS / 5);
  }

  @Test
  void anOutageInTheMiddleOfABusyDayIsCapturedLaterFromTheQueue() throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    VisitPayments payments = payments(scheduler);

    day(payments, 0, VISITS / 3);
    processor.down = true;
    day(payments, VISITS / 3, 2 * VISITS / 3);
    assertThat(payments.awaitTasks(Duration.ofSeconds(30))).isTrue();
    assertThat(payments.queuedCount()).as("visits waiting for the processor").isPositive();
    scheduler.advance(Duration.ofMinutes(20));
    payments.awaitTasks(Duration.ofSeconds(30));
    processor.down = false;
    day(payments, 2 * VISITS / 3, VISITS);
    drain(payments, scheduler);

    judge();
    assertThat(payments.queuedCount()).isZero();
  }

  @Test
  void duplicatedDeliveriesAndAnswersChargeOnce() throws Exception {
    processor.duplicate = true;
    processor.timeoutShare = 0.1;
    ManualScheduler scheduler = new ManualScheduler();
    VisitPayments payments = payments(scheduler);

    day(payments, 0, VISITS);
    for (VisitOutcome outcome : outcomes) {
      payments.settle(outcome);
    }
    drain(payments, scheduler);

    judge();
  }

  @Test
  void serversKilledBetweenCaptureRequestsAndAnswersChargeOnceAfterRestarts() throws Exception {
    processor.loseCaptureAnswerShare = 0.3;
    VisitPayments payments = payments(new ManualScheduler());
    day(payments, 0, VISITS);
    payments.awaitTasks(Duration.ofSeconds(30));
    payments.close();
    assertThat(processor.lostAnswers).as("capture answers lost").isPositive();

    processor.loseCaptureAnswerShare = 0;
    ManualScheduler afterRestart = new ManualScheduler();
    VisitPayments restarted = payments(afterRestart);
    for (VisitOutcome outcome : outcomes) {
      restarted.onEvent(entry(outcome.admission().credential()));
      restarted.settle(outcome);
    }
    drain(restarted, afterRestart);

    judge();
  }

  private VisitPayments payments(ManualScheduler scheduler) {
    VisitPayments payments = new VisitPayments(layout, processor, SETTINGS, new ReceiptBook(storage, layout),
        storage, new SimpleMeterRegistry(), scheduler.clock, scheduler,
        PaymentExportsTest.guard(layout, storage, ExportChannels.DEFAULTS), PaymentExportsTest.audit(storage),
        PaymentExportsTest.retention(layout, storage), java.util.Set.of());
    started.add(payments);
    return payments;
  }

  /** Admits and checks out visits {@code from} to {@code to}: a seeded mix of carts and cards. */
  private void day(VisitPayments payments, int from, int to) {
    Random random = new Random(from * 7919L + to);
    for (int i = from; i < to; i++) {
      int kind = random.nextInt(20);
      String card = kind == 0 ? "decline-" + i : kind == 1 ? "limit-" + i : "card-" + i;
      EntryEvent entry = entry(Credential.of(card));
      payments.onEvent(entry);
      List<LineItem> items = new ArrayList<>();
      int lines = kind == 2 ? 0 : 1 + random.nextInt(4);
      for (int l = 0; l < lines; l++) {
        items.add(new LineItem(Sku.of("sku-" + l), 1 + random.nextInt(3), Money.ofMinor(99 + random.nextInt(2_500),
            "USD")));
      }
      VisitOutcome outcome = new VisitOutcome(
          Admission.from(entry), ReceiptStatus.CHARGED, items, T + 60_000 + i, T + 61_500 + i, List.of());
      outcomes.add(outcome);
      payments.settle(outcome);
    }
  }

  private static EntryEvent entry(Credential card) {
    return new EntryEvent(ENTRIES.of(card.reveal()), GateId.of("in-1"), card, 1, null);
  }

  private static void drain(VisitPayments payments, ManualScheduler scheduler) throws InterruptedException {
    assertThat(payments.awaitTasks(Duration.ofSeconds(60))).isTrue();
    for (int i = 0; i < 100_000 && scheduler.runNext(); i++) {
      assertThat(payments.awaitTasks(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(scheduler.hasPending()).as("retries left").isFalse();
  }

  /** The judge: the processor's ledger against each visit's stage and receipt. */
  private void judge() {
    List<LedgerEntry> ledger = processor.simulated.ledger();
    ReceiptBook book = new ReceiptBook(storage, layout);
    VisitPayments reader = payments(new ManualScheduler());
    int captured = 0;
    int voided = 0;
    int failed = 0;
    for (VisitOutcome outcome : outcomes) {
      VisitId visit = outcome.admission().visitId();
      Money total = outcome.total(Money.zero(layout.currency()));
      List<LedgerEntry> captures = ledger.stream()
          .filter(e -> e.operation() == Operation.CAPTURE && e.credential().equals(outcome.admission().credential()))
          .toList();
      Stage stage = reader.stage(visit).orElseThrow();
      Receipt receipt = book.receipt(visit).orElseThrow(() -> new AssertionError("no receipt for " + visit));
      switch (stage) {
        case CAPTURED -> {
          captured++;
          assertThat(captures).as("captures of " + visit).singleElement()
              .extracting(LedgerEntry::amount).isEqualTo(total);
          assertThat(receipt.status()).isEqualTo(ReceiptStatus.CHARGED);
          assertThat(receipt.paymentReference()).isEqualTo(captures.get(0).reference());
          assertThat(receipt.reasons()).isEmpty();
        }
        case VOIDED -> {
          voided++;
          assertThat(total.isZero()).isTrue();
          assertThat(captures).isEmpty();
          assertThat(receipt.status()).isEqualTo(ReceiptStatus.CHARGED);
        }
        case FAILED -> {
          failed++;
          assertThat(captures).as("captures of failed " + visit).isEmpty();
          assertThat(outcome.admission().credential().reveal()).matches("(decline|limit)-.*");
          assertThat(receipt.status()).isEqualTo(ReceiptStatus.REVIEW);
        }
        default -> throw new AssertionError(visit + " was left in stage " + stage);
      }
    }
    assertThat(captured + voided + failed).isEqualTo(outcomes.size());
    assertThat(captured).isGreaterThan(outcomes.size() / 2);
    long capturesInLedger = ledger.stream().filter(e -> e.operation() == Operation.CAPTURE).count();
    assertThat(capturesInLedger).as("captures in the processor's ledger").isEqualTo(captured);
  }

  /**
   * The simulated processor behind a faulty line: a share of calls time out (half before the processor acted,
   * half after, the answer lost), the line can be down, requests can be delivered twice, and capture answers
   * can be lost as if the server died waiting for them.
   */
  static final class FaultyProcessor implements PaymentProvider {
    final SimulatedCardProcessor simulated = new SimulatedCardProcessor();
    private final Random random;
    volatile double timeoutShare;
    volatile double loseCaptureAnswerShare;
    volatile boolean down;
    volatile boolean duplicate;
    int timeouts;
    int lostAnswers;

    FaultyProcessor(Random random) {
      this.random = random;
    }

    @Override
    public AuthorizationResult authorize(AuthorizationRequest request) {
      return through(() -> simulated.authorize(request), false);
    }

    @Override
    public AuthorizationResult incrementAuthorization(IncrementRequest request) {
      return through(() -> simulated.incrementAuthorization(request), false);
    }

    @Override
    public CaptureResult capture(CaptureRequest request) {
      return through(() -> simulated.capture(request), true);
    }

    @Override
    public void release(String idempotencyKey, String authorizationId) {
      through(() -> {
        simulated.release(idempotencyKey, authorizationId);
        return Boolean.TRUE;
      }, false);
    }

    @Override
    public RefundResult refund(RefundRequest request) {
      return through(() -> simulated.refund(request), false);
    }

    private <T> T through(Supplier<T> call, boolean capture) {
      double draw;
      double lose;
      synchronized (this) {
        if (down) {
          throw new PaymentException("connection refused (processor down)", true);
        }
        draw = random.nextDouble();
        lose = random.nextDouble();
      }
      if (draw < timeoutShare / 2) {
        count(false);
        throw new PaymentException("timed out before the processor answered", true);
      }
      T result = call.get();
      if (duplicate) {
        T again = call.get();
        assertThat(again).as("a duplicated request answers like the first").isEqualTo(result);
      }
      if (draw < timeoutShare) {
        count(false);
        throw new PaymentException("timed out; the processor acted but the answer was lost", true);
      }
      if (capture && lose < loseCaptureAnswerShare) {
        count(true);
        throw new PaymentException("the server died before the capture's answer arrived", true);
      }
      return result;
    }

    private synchronized void count(boolean lostCapture) {
      if (lostCapture) {
        lostAnswers++;
      } else {
        timeouts++;
      }
    }
  }
}
