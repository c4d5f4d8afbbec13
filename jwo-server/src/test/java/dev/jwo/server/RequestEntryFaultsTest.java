package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.v1.CancelEntryRequest;
import dev.jwo.cart.v1.EntryHold;
import dev.jwo.cart.v1.RequestEntryRequest;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import dev.jwo.payments.ForwardingPaymentProvider;
import dev.jwo.payments.OfflineEntryPolicy;
import dev.jwo.payments.PaymentException;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.simulated.SimulatedCardProcessor.LedgerEntry;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.PaymentState.Stage;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gates that ask before they open ({@code SessionService.RequestEntry}) against a card processor on which a fifth of
 * the calls time out, half of them after the processor acted. Each gate asks again while told to, opens on an answer,
 * reports the entry on its sensor stream or cancels it when the party turns back; every visit then checks out. The
 * simulated processor's own ledger is the judge: once the processor's answers are in, every party that came in has
 * exactly one open authorization (none if its card was declined) and every other party none; after checkout every
 * authorization is captured once for the visit's total or voided, and nothing is captured twice.
 */
class RequestEntryFaultsTest {
  private static final GateId GATE = GateId.of("in-1");
  private static final int PARTIES = 80;
  private static final PaymentSettings QUICK_RETRIES = new PaymentSettings(
      5_000, Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(200), 0.5, Duration.ofDays(3));
  private static final Set<EntryHold> OPENS = EnumSet.of(EntryHold.HOLD_PLACED, EntryHold.HOLD_PLACED_EARLIER,
      EntryHold.ADMITTED_WITHOUT_HOLD);

  private final StoreScript script = new StoreScript(StoreScript.smallStore("fault-001", "US-IL"),
      System.currentTimeMillis(), 7);
  private final TokenIssuer callers = TokenIssuer.withNewKey(script.layout().storeId().value(), Clock.systemUTC());
  private final FlakyLine line = new FlakyLine(new Random(23));
  private Injector injector;
  private JwoGrpcServer server;
  private ManagedChannel connection;
  private Channel gateway;

  private enum Fate { CAME_IN, TURNED_BACK, DECLINED }

  private record Party(String credential, Fate fate, EntryHold answer) {}

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.shutdownNow();
      server.shutdown(Duration.ofSeconds(5));
      injector.getInstance(VisitPayments.class).close();
    }
  }

  @Test
  void everyPartyAskingThroughTimeoutsEndsWithOneHoldOrNoneAndIsChargedOnce() throws Exception {
    start(OfflineEntryPolicy.NEVER);
    List<Party> parties = day();

    assertThat(parties).as("every party that came in had its hold placed at the gate")
        .filteredOn(p -> p.fate() == Fate.CAME_IN)
        .allSatisfy(p -> assertThat(p.answer()).isIn(EntryHold.HOLD_PLACED, EntryHold.HOLD_PLACED_EARLIER));
    assertThat(line.timeouts).as("timeouts injected").isGreaterThan(PARTIES / 10);
  }

  @Test
  void partiesLetInWithoutAHoldThroughTimeoutsGetTheGatesAuthorizationAndAreChargedOnce() throws Exception {
    start(OfflineEntryPolicy.upTo(5_000));
    List<Party> parties = day();

    assertThat(parties).extracting(Party::answer).as("some let in without a hold")
        .contains(EntryHold.ADMITTED_WITHOUT_HOLD);
    assertThat(line.timeouts).as("timeouts injected").isGreaterThan(PARTIES / 10);
  }

  private void start(OfflineEntryPolicy policy) {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(StoreModules.forStore(script.layout(), InProcessStore.serving(name, callers),
        binder -> {
          OptionalBinder.newOptionalBinder(binder, PaymentProvider.class).setBinding().toInstance(line);
          OptionalBinder.newOptionalBinder(binder, PaymentSettings.class).setBinding().toInstance(QUICK_RETRIES);
          OptionalBinder.newOptionalBinder(binder, OfflineEntryPolicy.class).setBinding().toInstance(policy);
        }));
    server = injector.getInstance(JwoGrpcServer.class).start();
    connection = InProcessChannelBuilder.forName(name).directExecutor().build();
    gateway = callers.as(connection, Role.SENSOR_GATEWAY);
  }

  /**
   * The day: every party asks at the gate (again while told to), comes in, turns back or is refused; the entries are
   * processed; the ledger is judged once the processor's answers are in, every visit checks out, and the ledger is
   * judged again.
   */
  private List<Party> day() throws Exception {
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    List<Party> parties = new ArrayList<>();
    List<SensorEventMessage> entries = new ArrayList<>();
    for (int i = 0; i < PARTIES; i++) {
      String credential = (i % 10 == 7 ? "decline-card-" : "c-") + i;
      EntryHold answer = ask(credential);
      if (!OPENS.contains(answer)) {
        assertThat(answer).as(credential).isEqualTo(EntryHold.DECLINED);
        parties.add(new Party(credential, Fate.DECLINED, answer));
      } else if (i % 9 == 4) {
        SessionServiceGrpc.newBlockingStub(gateway).cancelEntry(CancelEntryRequest.newBuilder()
            .setGate(GATE.value()).setCredential(credential).build());
        parties.add(new Party(credential, Fate.TURNED_BACK, answer));
      } else {
        entries.add(entry(credential, entries.size() + 1));
        parties.add(new Party(credential, Fate.CAME_IN, answer));
      }
    }
    report(entries);
    assertThat(payments.awaitIdle(Duration.ofSeconds(60))).as("the processor's answers are in").isTrue();

    Map<String, Long> open = openByCredential();
    for (Party party : parties) {
      boolean declined = party.credential().startsWith("decline");
      long expected = party.fate() == Fate.CAME_IN && !declined ? 1 : 0;
      assertThat(open.getOrDefault(party.credential(), 0L)).as("authorizations open for " + party).isEqualTo(expected);
      if (party.fate() == Fate.CAME_IN && declined) {
        // let in without a hold: declined when its visit asked again, or before (then checkout is declined)
        assertThat(payments.stage(visitOf(party.credential())).orElseThrow())
            .isIn(Stage.HOLD_DECLINED, Stage.ADMITTED_WITHOUT_HOLD);
      } else if (party.fate() == Fate.CAME_IN) {
        assertThat(payments.stage(visitOf(party.credential()))).contains(Stage.HELD);
      }
    }

    Map<String, Long> totals = new HashMap<>();
    int units = 0;
    for (Party party : parties) {
      if (party.fate() == Fate.CAME_IN) {
        units = (units + 1) % 4;
        settle(visitOf(party.credential()), party.credential(), units);
        totals.put(party.credential(), units * 279L);
      }
    }
    assertThat(payments.awaitIdle(Duration.ofSeconds(60))).as("every checkout is paid").isTrue();

    List<LedgerEntry> ledger = line.processor.ledger();
    assertThat(line.processor.openAuthorizations()).as("authorizations left open").isEmpty();
    int charged = 0;
    for (Party party : parties) {
      List<LedgerEntry> captures = ledger.stream().filter(e -> e.operation() == Operation.CAPTURE
          && e.credential().equals(Credential.of(party.credential()))).toList();
      long total = totals.getOrDefault(party.credential(), 0L);
      if (party.fate() == Fate.CAME_IN && !party.credential().startsWith("decline") && total > 0) {
        charged++;
        assertThat(captures).as("captures of " + party).singleElement()
            .satisfies(c -> assertThat(c.amount()).isEqualTo(Money.ofMinor(total, "USD")));
        assertThat(payments.stage(visitOf(party.credential()))).contains(Stage.CAPTURED);
      } else {
        assertThat(captures).as("nothing captured for " + party).isEmpty();
      }
    }
    assertThat(ledger.stream().filter(e -> e.operation() == Operation.CAPTURE).count()).isEqualTo(charged);
    assertThat(charged).isPositive();
    return parties;
  }

  /** The gate asks until it is answered or refused for good (as a gate would, up to 20 times). */
  private EntryHold ask(String credential) {
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        return SessionServiceGrpc.newBlockingStub(gateway).requestEntry(RequestEntryRequest.newBuilder()
            .setGate(GATE.value()).setCredential(credential).build()).getHold();
      } catch (StatusRuntimeException e) {
        EntryHold refusal = EntryHoldGrpcTest.refusal(e);
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          return refusal;
        }
        assertThat(refusal).isEqualTo(EntryHold.TRY_AGAIN);
      }
    }
    throw new AssertionError("the gate was told to ask again 20 times for " + credential);
  }

  private SensorEventMessage entry(String credential, long sequence) {
    return SensorEventMessage.newBuilder().setSource("gate-" + GATE.value()).setSequence(sequence)
        .setEntry(EntryScan.newBuilder().setGate(GATE.value()).setCredential(credential).setPartySize(1)).build();
  }

  /** The gate reports its entries on its sensor stream, a millisecond apart; then event time moves past them. */
  private void report(List<SensorEventMessage> entries) throws Exception {
    long last = InProcessStore.sendAccepted(gateway, entries);
    injector.getInstance(StorePipeline.class).advanceTo(last + 2_000);
  }

  private VisitId visitOf(String credential) {
    return injector.getInstance(SessionRegistry.class).sessions().stream()
        .filter(session -> session.admission().credential().equals(Credential.of(credential)))
        .map(session -> session.admission().visitId()).findFirst().orElseThrow();
  }

  private void settle(VisitId visit, String credential, int units) {
    long admittedAt = injector.getInstance(SessionRegistry.class).session(visit).orElseThrow().admission().ts();
    Admission admission = new Admission(visit, admittedAt, GATE, Credential.of(credential), 1, null);
    long exit = admittedAt + 60_000;
    List<LineItem> items = units == 0 ? List.of() : List.of(new LineItem(Sku.of("0003"), units,
        Money.ofMinor(279, "USD")));
    injector.getInstance(VisitSettlement.class).settle(new VisitOutcome(admission, ReceiptStatus.CHARGED, items,
        exit, exit + 1_000, List.of()));
  }

  /** How many authorizations are open per credential, by the processor's ledger. */
  private Map<String, Long> openByCredential() {
    Map<String, String> holder = new HashMap<>();
    for (LedgerEntry e : line.processor.ledger()) {
      if (e.operation() == Operation.AUTHORIZE) {
        holder.put(e.authorizationId(), e.credential().reveal());
      }
    }
    Map<String, Long> open = new HashMap<>();
    for (String id : line.processor.openAuthorizations()) {
      open.merge(holder.get(id), 1L, Long::sum);
    }
    return open;
  }

  /** The simulated processor on a line where a fifth of the calls time out, alternately before and after it acted. */
  private static final class FlakyLine extends ForwardingPaymentProvider {
    final SimulatedCardProcessor processor;
    private final Random random;
    int timeouts;

    FlakyLine(Random random) {
      this(new SimulatedCardProcessor(), random);
    }

    private FlakyLine(SimulatedCardProcessor processor, Random random) {
      super(processor);
      this.processor = processor;
      this.random = random;
    }

    @Override
    protected <T> T call(String operation, Supplier<T> call) {
      double draw;
      synchronized (this) {
        draw = random.nextDouble();
        if (draw < 0.2) {
          timeouts++;
        }
      }
      if (draw < 0.1) {
        throw new PaymentException("timed out before the processor answered", true);
      }
      T answer = call.get();
      if (draw < 0.2) {
        throw new PaymentException("timed out; the processor acted but its answer was lost", true);
      }
      return answer;
    }
  }
}
