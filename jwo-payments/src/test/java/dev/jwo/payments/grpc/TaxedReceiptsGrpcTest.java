package dev.jwo.payments.grpc;

import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.TaxTable;
import dev.jwo.payments.inject.PaymentsModule;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.ContestReceiptLineRequest;
import dev.jwo.payments.v1.ContestReceiptLineResponse;
import dev.jwo.payments.v1.DisputeServiceGrpc;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.Receipt;
import dev.jwo.payments.v1.ReceiptFormat;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.payments.v1.RenderReceiptRequest;
import dev.jwo.payments.v1.RenderedReceipt;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sales tax per product category from the store's {@link TaxTable}, charged through the real settlement against
 * the simulated processor, refunded with its tax, and rendered itemized as JSON, text and HTML over gRPC.
 */
class TaxedReceiptsGrpcTest {
  private final StoreKeys keys = StoreKeys.random();
  static final long T = 1_764_410_400_000L;
  static final dev.jwo.payments.EntryTimes ENTRIES = new dev.jwo.payments.EntryTimes(T);
  static final Currency USD = Currency.getInstance("USD");
  static final Sku BREAD = Sku.of("0001");
  static final Sku BEER = Sku.of("0002");
  /** A catalog name that would be markup if it were not escaped. */
  static final String BEER_NAME = "Lager <b>\"strong\"</b> & 'cold'";

  private final SimulatedCardProcessor processor = new SimulatedCardProcessor();
  private final StoreLayout layout = store(USD, 250, 899);
  private final TokenIssuer callers = TokenIssuer.withNewKey(layout.storeId().value(), Clock.systemUTC());
  private Injector injector;
  private JwoGrpcServer server;
  private ManagedChannel channel;
  private ReceiptServiceGrpc.ReceiptServiceBlockingStub receipts;
  private DisputeServiceGrpc.DisputeServiceBlockingStub disputes;

  /** Groceries at 1 %, alcohol at 8.875 %; bread is groceries, everything else (beer) the default, alcohol. */
  static TaxTable taxes() {
    TreeMap<String, BigDecimal> rates = new TreeMap<>();
    rates.put("groceries", new BigDecimal("1"));
    rates.put("alcohol", new BigDecimal("8.875"));
    return new TaxTable(rates, Map.of(BREAD, "groceries"), "alcohol");
  }

  @BeforeEach
  void start() {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(new CoreModule(layout), new ComplianceModule(), new PaymentsModule(),
        new AbstractModule() {
      @Override
      protected void configure() {
        // One store's keys across restarts: a vault and subjects refuse any other.
        OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(keys);
        OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
            .toInstance(GrpcServerSettings.inProcess(name));
        OptionalBinder.newOptionalBinder(binder(), CallerAuthentication.class).setBinding()
            .toInstance(callers.authentication());
        OptionalBinder.newOptionalBinder(binder(), PaymentProvider.class).setBinding().toInstance(processor);
        OptionalBinder.newOptionalBinder(binder(), TaxTable.class).setBinding().toInstance(taxes());
      }
    });
    server = injector.getInstance(JwoGrpcServer.class).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    receipts = ReceiptServiceGrpc.newBlockingStub(callers.as(channel, Role.STAFF));
    disputes = DisputeServiceGrpc.newBlockingStub(callers.as(channel, Role.STAFF));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
    injector.getInstance(VisitPayments.class).close();
  }

  @Test
  void theChargeIsTheSubtotalPlusTaxPerCategoryRoundedToTheCent() throws Exception {
    // bread 3 x 2.50 = 7.50 at 1 % = 0.075 -> 0.08; beer 2 x 8.99 = 17.98 at 8.875 % = 1.595725 -> 1.60
    String visit = settle("c-1", new LineItem(BREAD, 3, usd(250)), new LineItem(BEER, 2, usd(899)));

    Receipt served = receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId(visit).build());

    assertThat(served.getSubtotal().getMinor()).isEqualTo(750 + 1_798);
    assertThat(served.getTax().getMinor()).isEqualTo(8 + 160);
    assertThat(served.getTotal().getMinor()).isEqualTo(2_548 + 168);
    assertThat(processor.captures()).singleElement()
        .satisfies(c -> assertThat(c.amount()).isEqualTo(usd(2_716)));
  }

  @Test
  void aDisputeSentToReviewShowsTheReviewerTheAmountWithItsTax() throws Exception {
    String visit = settle("c-1", new LineItem(BREAD, 3, usd(250)), new LineItem(BEER, 2, usd(899)));

    ContestReceiptLineResponse contested = disputes.contestReceiptLine(ContestReceiptLineRequest.newBuilder()
        .setVisitId(visit).setReceiptVersion(1).setLineIndex(1).setQuantity(1).setReason(ContestReason.OTHER)
        .setNote("I never took it").build());
    dev.jwo.payments.v1.ReviewCase pending = dev.jwo.payments.v1.ReviewServiceGrpc.newBlockingStub(
            callers.bearer(Role.REVIEWER, "rita").on(channel))
        .listPendingReviews(dev.jwo.payments.v1.ListPendingReviewsRequest.getDefaultInstance())
        .getCasesList().stream().filter(c -> c.getVisitId().equals(visit)).findFirst().orElseThrow();

    // one beer: 8.99 plus the alcohol tax it adds (1.60 on two, 0.80 on one): 9.79, not the 8.99 before tax
    assertThat(contested.getOutcome()).isEqualTo(ContestReceiptLineResponse.Outcome.SENT_TO_REVIEW);
    assertThat(contested.getAmount().getMinor()).isEqualTo(899 + 80);
    assertThat(pending.getDispute().getSku()).isEqualTo(BEER.value());
    assertThat(pending.getDispute().getAmount().getMinor()).isEqualTo(contested.getAmount().getMinor());
  }

  @Test
  void aContestedLineIsRefundedWithItsTaxAndTheAmendedReceiptStaysConsistent() throws Exception {
    String visit = settle("c-1", new LineItem(BREAD, 3, usd(250)), new LineItem(BEER, 2, usd(899)));

    ContestReceiptLineResponse contested = disputes.contestReceiptLine(ContestReceiptLineRequest.newBuilder()
        .setVisitId(visit).setReceiptVersion(1).setLineIndex(1).setQuantity(1).setReason(ContestReason.NOT_TAKEN)
        .build());

    // beer left: 8.99 at 8.875 % = 0.7978625 -> 0.80; bread unchanged 7.50 + 0.08
    long after = 750 + 8 + 899 + 80;
    assertThat(contested.getOutcome()).isEqualTo(ContestReceiptLineResponse.Outcome.REFUNDED);
    assertThat(contested.getAmount().getMinor()).isEqualTo(2_716 - after);
    assertThat(contested.getReceipt().getTotal().getMinor()).isEqualTo(after);
    assertThat(contested.getReceipt().getTax().getMinor()).isEqualTo(8 + 80);
    assertThat(processor.ledger()).filteredOn(e -> e.operation() == Operation.REFUND).singleElement()
        .satisfies(e -> assertThat(e.amount()).isEqualTo(usd(2_716 - after)));
    String text = render(visit, ReceiptFormat.TEXT).getBody();
    assertThat(text).contains("Version 2").contains("Amended: refund").contains("17.37");
  }

  @Test
  void theItemizedReceiptRendersAsJsonTextAndEscapedHtml() throws Exception {
    String visit = settle("c-1", new LineItem(BREAD, 3, usd(250)), new LineItem(BEER, 2, usd(899)));

    RenderedReceipt json = render(visit, ReceiptFormat.JSON);
    RenderedReceipt text = render(visit, ReceiptFormat.TEXT);
    RenderedReceipt html = render(visit, ReceiptFormat.HTML);

    assertThat(json.getContentType()).isEqualTo("application/json");
    JsonNode tree = new ObjectMapper().readTree(json.getBody());
    assertThat(tree.get("subtotal_minor").asLong()).isEqualTo(2_548);
    assertThat(tree.get("tax_minor").asLong()).isEqualTo(168);
    assertThat(tree.get("total_minor").asLong()).isEqualTo(2_716);
    assertThat(tree.get("lines").get(1).get("name").asText()).isEqualTo(BEER_NAME);
    assertThat(tree.get("lines").get(1).get("tax_rate_percent").asText()).isEqualTo("8.875");
    assertThat(tree.get("taxes")).hasSize(2);
    assertThat(tree.get("taxes").get(0).get("category").asText()).isEqualTo("alcohol");
    assertThat(tree.get("taxes").get(0).get("tax_minor").asLong()).isEqualTo(160);

    assertThat(text.getContentType()).startsWith("text/plain");
    assertThat(text.getBody()).contains("Subtotal").contains("25.48").contains("Tax alcohol 8.875% on 17.98")
        .contains("1.60").contains("Tax groceries 1% on 7.50").contains("0.08").contains("Total USD")
        .contains("27.16");
    assertThat(text.getBody().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(48));

    assertThat(html.getContentType()).startsWith("text/html");
    assertThat(html.getBody()).doesNotContain("<b>").doesNotContain(BEER_NAME)
        .contains("Lager &lt;b&gt;&quot;strong&quot;&lt;/b&gt; &amp; &#39;cold&#39;")
        .contains("<td>27.16</td>");
  }

  @Test
  void renderingWithoutAFormatOrForAMissingReceiptIsRefused() {
    StatusRuntimeException noFormat = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.renderReceipt(RenderReceiptRequest.newBuilder().setVisitId("v-1").build()));
    StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.renderReceipt(RenderReceiptRequest.newBuilder().setVisitId("v-404")
            .setFormat(ReceiptFormat.HTML).build()));

    assertThat(noFormat.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(noFormat.getStatus().getDescription()).contains("JSON, TEXT or HTML");
    assertThat(missing.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
  }

  @Test
  void taxIsRoundedInTheCurrencysOwnMinorUnit() {
    Currency yen = Currency.getInstance("JPY");
    Currency dinar = Currency.getInstance("KWD");
    TreeMap<String, BigDecimal> rates = new TreeMap<>();
    rates.put("general", new BigDecimal("8.875"));
    TaxTable table = new TaxTable(rates, Map.of(), "general");

    // 105 yen at 8.875 % = 9.31875 yen -> 9; 1.105 dinar (1105 fils) -> 98.06875 fils -> 98
    assertThat(table.tax(List.of(new LineItem(BREAD, 1, new Money(105, yen))), Money.zero(yen)))
        .isEqualTo(new Money(9, yen));
    assertThat(table.tax(List.of(new LineItem(BREAD, 1, new Money(1_105, dinar))), Money.zero(dinar)))
        .isEqualTo(new Money(98, dinar));
    // exactly half a cent rounds up: 2.00 at 0.25 % = 0.5 cent -> 1 cent
    TreeMap<String, BigDecimal> quarter = new TreeMap<>();
    quarter.put("general", new BigDecimal("0.25"));
    assertThat(new TaxTable(quarter, Map.of(), "general").tax(List.of(new LineItem(BREAD, 1, usd(200))),
        Money.zero(USD))).isEqualTo(usd(1));
  }

  @Test
  void aTaxTableWithUnknownCategoriesOrImpossibleRatesIsRefused() {
    TreeMap<String, BigDecimal> rates = new TreeMap<>();
    rates.put("groceries", new BigDecimal("1"));
    TreeMap<String, BigDecimal> tooHigh = new TreeMap<>();
    tooHigh.put("general", new BigDecimal("101"));
    TreeMap<String, BigDecimal> tooFine = new TreeMap<>();
    tooFine.put("general", new BigDecimal("1.00001"));

    assertThatThrownBy(() -> new TaxTable(rates, Map.of(BEER, "alcohol"), "groceries"))
        .hasMessageContaining("category 'alcohol', which has no tax rate");
    assertThatThrownBy(() -> new TaxTable(rates, Map.of(), "alcohol"))
        .hasMessageContaining("default category 'alcohol' has no tax rate");
    assertThatThrownBy(() -> new TaxTable(tooHigh, Map.of(), "general")).hasMessageContaining("between 0 and 100");
    assertThatThrownBy(() -> new TaxTable(tooFine, Map.of(), "general")).hasMessageContaining("at most 4 decimals");
  }

  private RenderedReceipt render(String visit, ReceiptFormat format) {
    return receipts.renderReceipt(RenderReceiptRequest.newBuilder().setVisitId(visit).setFormat(format).build());
  }

  private String settle(String card, LineItem... items) throws InterruptedException {
    EntryEvent entry = new EntryEvent(ENTRIES.of(card), GateId.of("in-1"), Credential.of(card), 1, null);
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    payments.onEvent(entry);
    payments.settle(new VisitOutcome(Admission.from(entry), ReceiptStatus.CHARGED, List.of(items), T + 60_000,
        T + 61_000, List.of()));
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    return Admission.from(entry).visitId().value();
  }

  private static Money usd(long minor) {
    return new Money(minor, USD);
  }

  static StoreLayout store(Currency currency, long breadMinor, long beerMinor) {
    return new StoreLayout(
        StoreId.of("tax-1"),
        "US-NY",
        currency,
        new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        List.of(new Product(BREAD, "Bread", new Money(breadMinor, currency), 500, 5, false),
            new Product(BEER, BEER_NAME, new Money(beerMinor, currency), 350, 4, true)),
        List.of(new Bin(BinId.of("A1-1"), BREAD, new Point3(4, 4, 1.1), 0.4, 20)),
        List.of(new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.NONE)));
  }
}
