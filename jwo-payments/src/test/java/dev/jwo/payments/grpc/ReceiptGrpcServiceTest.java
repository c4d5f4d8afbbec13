package dev.jwo.payments.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.VisitId;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.visit.LineItem;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.inject.PaymentsModule;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.ListReceiptVersionsRequest;
import dev.jwo.payments.v1.ListReceiptsRequest;
import dev.jwo.payments.v1.ListReceiptsResponse;
import dev.jwo.payments.v1.ReceiptLine;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.payments.v1.Status;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The receipt service as the payments module wires it, served in-process. */
class ReceiptGrpcServiceTest {
  static final long T = 1_764_410_400_000L;
  static final String CARD = "tok_visa_4242424242424242";

  private Injector injector;
  private JwoGrpcServer server;
  private ManagedChannel channel;
  private ReceiptBook book;
  private ReceiptServiceGrpc.ReceiptServiceBlockingStub receipts;
  private final dev.jwo.core.security.TokenIssuer callers = dev.jwo.core.security.TokenIssuer.withNewKey(
      TestLayouts.store().storeId().value(), java.time.Clock.systemUTC());

  @BeforeEach
  void start() {
    start(ExportChannels.DEFAULTS);
  }

  /** Starts the service for a store that declared {@code channels} for personal data to leave by. */
  private void start(ExportChannels channels) {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(new CoreModule(TestLayouts.store()), new ComplianceModule(), new PaymentsModule(),
        new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
            .toInstance(GrpcServerSettings.inProcess(name));
        OptionalBinder.newOptionalBinder(binder(), dev.jwo.core.security.CallerAuthentication.class).setBinding()
            .toInstance(callers.authentication());
        OptionalBinder.newOptionalBinder(binder(), ExportChannels.class).setBinding().toInstance(channels);
      }
    });
    server = injector.getInstance(JwoGrpcServer.class).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    book = injector.getInstance(ReceiptBook.class);
    receipts = ReceiptServiceGrpc.newBlockingStub(callers.as(channel, dev.jwo.core.security.Role.STAFF));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
    injector.getInstance(VisitPayments.class).close();
  }

  @Test
  void aVisitWithoutAReceiptIsNotFound() {
    StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId("v-404").build()));
    StatusRuntimeException blank = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.getReceipt(GetReceiptRequest.getDefaultInstance()));

    assertThat(missing.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getDescription()).contains("visit 'v-404' has no receipt yet");
    assertThat(blank.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aReceiptIsServedWithTheKeyedSubjectInsteadOfTheCredential() {
    Receipt charged = new Receipt(VisitId.of("v-1"), Credential.of(CARD), ReceiptStatus.CHARGED,
        List.of(new LineItem(TestLayouts.WATER, 2, dev.jwo.core.Money.ofMinor(199, "USD")),
            new LineItem(TestLayouts.JUICE, 1, dev.jwo.core.Money.ofMinor(2_999, "USD"))),
        dev.jwo.core.Money.ofMinor(3_397, "USD"), T, T + 1_500, List.of(), "cap-7");
    book.record(charged);

    dev.jwo.payments.v1.Receipt served =
        receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId("v-1").build());

    assertThat(served.getVisitId()).isEqualTo("v-1");
    assertThat(served.getCredentialPseudonym())
        .isEqualTo(injector.getInstance(dev.jwo.compliance.keys.Subjects.class).of(Credential.of(CARD)));
    // Not the unkeyed digest that receipts used to carry: a list of card tokens would reverse it.
    String unkeyed = dev.jwo.compliance.internal.Canonical.sha256Hex(CARD).substring(0, 12);
    assertThat(served.toString()).doesNotContain(unkeyed);
    assertThat(new String(served.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain(unkeyed);
    assertThat(served.toString()).doesNotContain("42424242");
    assertThat(new String(served.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("42424242");
    assertThat(served.getStatus()).isEqualTo(Status.CHARGED);
    assertThat(served.getLinesList()).extracting(ReceiptLine::getSku, ReceiptLine::getQuantity,
            l -> l.getUnitPrice().getMinor(), l -> l.getAmount().getMinor())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("0001", 2, 199L, 398L),
            org.assertj.core.groups.Tuple.tuple("0003", 1, 2_999L, 2_999L));
    assertThat(served.getTotal().getMinor()).isEqualTo(3_397);
    assertThat(served.getTotal().getCurrency()).isEqualTo("USD");
    assertThat(served.getExitTsMs()).isEqualTo(T);
    assertThat(served.getFinalizedTsMs()).isEqualTo(T + 1_500);
    assertThat(served.getReasonsList()).isEmpty();
  }

  @Test
  void pagesTogetherListEveryReceiptOnceInTheOrderTheyWereDecided() {
    recordMany(7);

    List<String> listed = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = "";
    do {
      ListReceiptsResponse page =
          receipts.listReceipts(ListReceiptsRequest.newBuilder().setPageSize(3).setPageToken(token).build());
      page.getReceiptsList().forEach(r -> listed.add(r.getVisitId()));
      pageSizes.add(page.getReceiptsCount());
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(pageSizes).containsExactly(3, 3, 1);
    assertThat(listed).containsExactlyElementsOf(book.all().stream().map(r -> r.visitId().value()).toList());
    assertThat(listed).doesNotHaveDuplicates().hasSize(7);
  }

  @Test
  void aPageHoldsAHundredReceiptsUnlessAskedOtherwise() {
    recordMany(105);

    ListReceiptsResponse first = receipts.listReceipts(ListReceiptsRequest.getDefaultInstance());
    ListReceiptsResponse rest = receipts.listReceipts(
        ListReceiptsRequest.newBuilder().setPageToken(first.getNextPageToken()).build());
    ListReceiptsResponse all = receipts.listReceipts(ListReceiptsRequest.newBuilder().setPageSize(500).build());

    assertThat(first.getReceiptsCount()).isEqualTo(100);
    assertThat(rest.getReceiptsCount()).isEqualTo(5);
    assertThat(rest.getNextPageToken()).isEmpty();
    assertThat(all.getReceiptsCount()).isEqualTo(105);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 501})
  void aPageSizeOutOfBoundsIsAnInvalidArgument(int size) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.listReceipts(ListReceiptsRequest.newBuilder().setPageSize(size).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("page_size must be between 0 and 500, was " + size);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-token!", "b2Zmc2V0Oi0x", "aGVsbG8", "b2Zmc2V0OnRlbg"})
  void aPageTokenThisServiceDidNotIssueIsAnInvalidArgument(String token) {
    recordMany(3);

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.listReceipts(ListReceiptsRequest.newBuilder().setPageToken(token).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("page_token");
  }

  @Test
  void receiptsCanBeListedByStatus() {
    recordMany(6);

    ListReceiptsResponse review = receipts.listReceipts(
        ListReceiptsRequest.newBuilder().setStatus(Status.REVIEW).setPageSize(2).build());
    ListReceiptsResponse more = receipts.listReceipts(ListReceiptsRequest.newBuilder().setStatus(Status.REVIEW)
        .setPageSize(2).setPageToken(review.getNextPageToken()).build());

    assertThat(review.getReceiptsList()).extracting(dev.jwo.payments.v1.Receipt::getVisitId)
        .containsExactly("v-001", "v-004");
    assertThat(more.getReceiptsList()).extracting(dev.jwo.payments.v1.Receipt::getStatus)
        .containsOnly(Status.REVIEW);
    assertThat(more.getNextPageToken()).isEmpty();
    assertThat(receipts.listReceipts(ListReceiptsRequest.newBuilder().setStatus(Status.OPEN).build())
        .getReceiptsCount()).isEqualTo(2);
  }

  @Test
  void aStatusThisServiceDoesNotKnowIsAnInvalidArgument() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.listReceipts(ListReceiptsRequest.newBuilder().setStatusValue(42).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("status 42");
  }

  @Test
  void everyReceiptServedPassesTheExportGuardAsPurchasesUnderThePseudonym() {
    book.record(new Receipt(VisitId.of("v-1"), Credential.of(CARD), ReceiptStatus.CHARGED, List.of(),
        dev.jwo.core.Money.ofMinor(0, "USD"), T, T + 1_500, List.of(), "cap-7"));

    receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId("v-1").build());
    receipts.listReceiptVersions(ListReceiptVersionsRequest.newBuilder().setVisitId("v-1").build());
    receipts.listReceipts(ListReceiptsRequest.getDefaultInstance());

    List<AuditRecord> records = injector.getInstance(AuditChain.class).records().stream()
        .filter(r -> r.type() == AuditType.DISCLOSURE).toList();
    assertThat(records).extracting(r -> r.detail("recipient"))
        .containsExactly("receipts", "receipts", "back-office");
    assertThat(records).extracting(AuditRecord::subject)
        .containsExactly(injector.getInstance(AuditChain.class).subjectOf(Credential.of(CARD)),
            injector.getInstance(AuditChain.class).subjectOf(Credential.of(CARD)), "");
    assertThat(records).allSatisfy(r -> assertThat(r.detail("categories")).isEqualTo("purchase"));
  }

  @Test
  void aStoreThatDeclaredNoReceiptChannelServesNoReceiptAndSaysWhy() {
    stop();
    start(ExportChannels.of(List.of(ExportChannels.PAYMENT_PROVIDER)));
    book.record(new Receipt(VisitId.of("v-1"), Credential.of(CARD), ReceiptStatus.CHARGED, List.of(),
        dev.jwo.core.Money.ofMinor(0, "USD"), T, T + 1_500, List.of(), "cap-7"));

    StatusRuntimeException one = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId("v-1").build()));
    StatusRuntimeException list = catchThrowableOfType(StatusRuntimeException.class,
        () -> receipts.listReceipts(ListReceiptsRequest.getDefaultInstance()));

    assertThat(one.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(one.getStatus().getDescription()).contains("no export channel to 'receipts' is declared");
    assertThat(list.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(list.getStatus().getDescription()).contains("'back-office'")
        .contains(injector.getInstance(AuditChain.class).headHash());
    assertThat(injector.getInstance(AuditChain.class).records()).extracting(AuditRecord::type)
        .containsOnly(AuditType.DISCLOSURE_REFUSED);
  }

  /** {@code count} receipts, decided in order v-000, v-001, ...: CHARGED, REVIEW, OPEN, CHARGED, ... */
  private void recordMany(int count) {
    ReceiptStatus[] statuses = {ReceiptStatus.CHARGED, ReceiptStatus.REVIEW, ReceiptStatus.OPEN};
    for (int i = count - 1; i >= 0; i--) {
      ReceiptStatus status = statuses[i % 3];
      book.record(new Receipt(VisitId.of(String.format("v-%03d", i)), Credential.of("c-" + i), status, List.of(),
          dev.jwo.core.Money.ofMinor(0, "USD"), status == ReceiptStatus.OPEN ? null : T, T + 10L * i,
          List.of(), ""));
    }
  }
}
