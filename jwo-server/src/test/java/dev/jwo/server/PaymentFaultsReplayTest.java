package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.payments.AuthorizationRequest;
import dev.jwo.payments.AuthorizationResult;
import dev.jwo.payments.ForwardingPaymentProvider;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.simulated.SimulatedCardProcessor.LedgerEntry;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.PaymentState.Stage;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.Simulator;
import dev.jwo.sim.truth.TruthFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated busy day's log replayed through the whole store (pipeline, checkout, payments) against a card processor
 * on a bad line: a fifth of the calls time out (half of them after the processor acted), every request is delivered
 * twice, and the processor is down while the middle third of the day's parties come in. The simulated processor's
 * own ledger is the judge: every visit ends captured exactly once for its receipt's total, or with nothing captured
 * (an empty cart voided, a receipt held for review); none is left pending and none charged twice.
 */
class PaymentFaultsReplayTest {
  private static final PaymentSettings QUICK_RETRIES = new PaymentSettings(
      5_000, Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(200), 0.5, Duration.ofDays(3));
  private static final Set<Stage> PENDING = EnumSet.of(Stage.HOLD_PENDING, Stage.INCREMENT_PENDING,
      Stage.CAPTURE_PENDING, Stage.VOID_PENDING);

  @Test
  void aBusyLogWithTimeoutsAnOutageAndDuplicatedRequestsChargesEveryVisitOnce(@TempDir Path dir) throws Exception {
    Scenario busy = Scenario.preset("busy");
    new Simulator(busy, 1).run(dir, (done, total, events) -> { });
    BadLine line = new BadLine(busy.shoppers().visits() / 3, 2 * busy.shoppers().visits() / 3);
    int[] judged = new int[1];

    new Replay(dir.resolve(TruthFiles.STORE), dir.resolve(TruthFiles.EVENTS), binder -> {
      OptionalBinder.newOptionalBinder(binder, PaymentProvider.class).setBinding().toInstance(line);
      OptionalBinder.newOptionalBinder(binder, PaymentSettings.class).setBinding().toInstance(QUICK_RETRIES);
    }).afterReplay(injector -> judged[0] = judge(injector, line.processor.ledger())).run(dir, (lines, ts) -> { });

    assertThat(judged[0]).as("visits judged").isGreaterThan(busy.shoppers().visits() / 2);
    assertThat(line.timeouts()).as("timeouts injected").isPositive();
    assertThat(line.refusedWhileDown()).as("calls refused during the outage").isPositive();
    assertThat(line.duplicates()).as("requests delivered twice").isPositive();
  }

  /** Checks every receipt's visit against the ledger; returns how many visits were judged. */
  private static int judge(Injector injector, List<LedgerEntry> ledger) {
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    List<Receipt> receipts = injector.getInstance(ReceiptBook.class).all();
    int captured = 0;
    for (Receipt receipt : receipts) {
      String what = receipt.visitId() + " " + receipt.status() + " " + receipt.reasons();
      List<LedgerEntry> captures = ledger.stream()
          .filter(e -> e.operation() == Operation.CAPTURE && e.credential().equals(receipt.credential()))
          .toList();
      Stage stage = payments.stage(receipt.visitId()).orElseThrow(() -> new AssertionError("no payment: " + what));
      assertThat(stage).as("left pending: " + what).isNotIn(PENDING);
      if (receipt.status() == ReceiptStatus.CHARGED && !receipt.total().isZero()) {
        captured++;
        assertThat(stage).as(what).isEqualTo(Stage.CAPTURED);
        assertThat(captures).as("captures of " + what).singleElement().satisfies(c -> {
          assertThat(c.amount()).isEqualTo(receipt.total());
          assertThat(c.reference()).isEqualTo(receipt.paymentReference());
        });
      } else {
        assertThat(captures).as("nothing captured for " + what).isEmpty();
        assertThat(stage).as(what).isIn(Stage.HELD, Stage.VOIDED);
      }
    }
    assertThat(ledger.stream().filter(e -> e.operation() == Operation.CAPTURE).count())
        .as("captures in the processor's ledger").isEqualTo(captured);
    assertThat(captured).as("visits charged").isPositive();
    Money charged = ledger.stream().filter(e -> e.operation() == Operation.CAPTURE).map(LedgerEntry::amount)
        .reduce(Money::plus).orElseThrow();
    assertThat(charged).as("the ledger's captures are the charged receipts' totals").isEqualTo(receipts.stream()
        .filter(r -> r.status() == ReceiptStatus.CHARGED).map(Receipt::total).reduce(Money::plus).orElseThrow());
    return receipts.size();
  }

  /**
   * The simulated processor on a bad line: down from the {@code downFrom}-th visit whose hold it is asked for until
   * the {@code upFrom}-th, a fifth of the other calls failing as timeouts (alternately before and after the processor
   * acted), and every request delivered twice.
   */
  private static final class BadLine extends ForwardingPaymentProvider {
    final SimulatedCardProcessor processor;
    private final int downFrom;
    private final int upFrom;
    private final Random random = new Random(17);
    private final Set<String> holdsAsked = new HashSet<>();
    private int timeouts;
    private int refusedWhileDown;
    private int duplicates;

    BadLine(int downFrom, int upFrom) {
      this(new SimulatedCardProcessor(), downFrom, upFrom);
    }

    private BadLine(SimulatedCardProcessor processor, int downFrom, int upFrom) {
      super(processor);
      this.processor = processor;
      this.downFrom = downFrom;
      this.upFrom = upFrom;
    }

    synchronized int timeouts() {
      return timeouts;
    }

    synchronized int refusedWhileDown() {
      return refusedWhileDown;
    }

    synchronized int duplicates() {
      return duplicates;
    }

    @Override
    public AuthorizationResult authorize(AuthorizationRequest request) {
      synchronized (this) {
        holdsAsked.add(request.idempotencyKey());
      }
      return super.authorize(request);
    }

    @Override
    protected <T> T call(String operation, Supplier<T> call) {
      double draw;
      synchronized (this) {
        if (holdsAsked.size() >= downFrom && holdsAsked.size() < upFrom) {
          refusedWhileDown++;
          throw new PaymentException("connection refused (the processor is down)", true);
        }
        draw = random.nextDouble();
        if (draw < 0.2) {
          timeouts++;
        }
      }
      if (draw < 0.1) {
        throw new PaymentException("timed out before the processor answered", true);
      }
      T first = call.get();
      T again = call.get();
      synchronized (this) {
        duplicates++;
      }
      assertThat(again).as("a request delivered twice is answered as the first time").isEqualTo(first);
      if (draw < 0.2) {
        throw new PaymentException("timed out; the processor acted but its answer was lost", true);
      }
      return first;
    }
  }
}
