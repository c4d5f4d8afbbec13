package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.compliance.v1.ComplianceServiceGrpc;
import dev.jwo.compliance.v1.SubjectRequest;
import dev.jwo.core.BinId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * R12 access through the wired store's gRPC service: a shopper's app reads, for its own credential, where in the
 * store the person took and put back items (the cart ledger of each visit they paid for), what they bought, every
 * receipt version and the payment, and another shopper reads none of it.
 */
class SubjectAccessGrpcTest {
  static final long T = 1_764_410_400_000L;
  static final String CARD = "tok_visa_4000056655665556";

  private final StoreScript script = new StoreScript(StoreScript.smallStore("sar-001", "US-IL"), T, 5);
  private final TokenIssuer callers = TokenIssuer.withNewKey(script.layout().storeId().value(), Clock.systemUTC());
  private Injector store;
  private JwoGrpcServer server;
  private ManagedChannel channel;
  private Admission alice;

  @BeforeEach
  void aliceTakesTwoWatersPutsOneBackAndPays() throws Exception {
    String name = InProcessServerBuilder.generateName();
    store = Guice.createInjector(
        StoreModules.forStore(script.layout(), InProcessStore.serving(name, callers)));
    server = store.getInstance(JwoGrpcServer.class).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();

    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of(CARD), 1, null);
    alice = Admission.from(entry);
    CartLedger ledger = store.getInstance(CartLedger.class);
    ledger.append(alice.visitId(), new CartEntry(T + 20_000, Sku.of("0001"), 2, BinId.of("A1-1"), true, "hand"));
    ledger.append(alice.visitId(), new CartEntry(T + 35_000, Sku.of("0001"), -1, BinId.of("A1-5"), true, "hand"));
    VisitPayments payments = store.getInstance(VisitPayments.class);
    payments.onEvent(entry);
    payments.settle(new VisitOutcome(alice, ReceiptStatus.CHARGED,
        List.of(new LineItem(Sku.of("0001"), 1, new Money(199, Currency.getInstance("USD")))), T + 60_000,
        T + 61_000, List.of(), 1.0, List.of()));
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
    store.getInstance(VisitPayments.class).close();
  }

  private String access(String app, Credential credential) {
    return ComplianceServiceGrpc.newBlockingStub(callers.shopper(app, credential).on(channel))
        .subjectAccess(SubjectRequest.newBuilder().setCredential(credential.reveal()).build()).getMarkdown();
  }

  @Test
  void theShoppersAppReadsWhereSheTookAndPutBackItemsWhatSheBoughtAndHerPayment() {
    String md = access("app-alice", Credential.of(CARD));
    String visit = alice.visitId().value();

    assertThat(md).contains("## Where in the store you took or put back items")
        .contains("Visit " + visit + " at " + Instant.ofEpochMilli(T + 20_000) + ": took 2 x 0001 from shelf bin A1-1.")
        .contains("Visit " + visit + " at " + Instant.ofEpochMilli(T + 35_000)
            + ": put back 1 x 0001 to shelf bin A1-5.")
        .contains("Visit " + visit + " receipt version 1: charged, 1 x 0001")
        .contains("Visit " + visit + ": payment captured")
        .doesNotContain(CARD);
  }

  @Test
  void anotherShopperReadsNoneOfIt() {
    String md = access("app-bob", Credential.of("app-bob"));

    assertThat(md).doesNotContain(alice.visitId().value()).doesNotContain("A1-1");
  }
}
