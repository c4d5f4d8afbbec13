package dev.jwo.payments.review;

import static dev.jwo.payments.TestLayouts.JUICE;
import static dev.jwo.payments.TestLayouts.WATER;
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
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.inject.PaymentsModule;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.simulated.SimulatedCardProcessor.Operation;
import dev.jwo.payments.v1.AddLine;
import dev.jwo.payments.v1.ClaimReviewRequest;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.ContestReceiptLineRequest;
import dev.jwo.payments.v1.ContestReceiptLineResponse;
import dev.jwo.payments.v1.DisputeServiceGrpc;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.GetReviewRequest;
import dev.jwo.payments.v1.LineDecision;
import dev.jwo.payments.v1.ListPendingReviewsRequest;
import dev.jwo.payments.v1.ListPendingReviewsResponse;
import dev.jwo.payments.v1.ListReceiptVersionsRequest;
import dev.jwo.payments.v1.Receipt;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.payments.v1.ResolveReviewRequest;
import dev.jwo.payments.v1.ResolveReviewResponse;
import dev.jwo.payments.v1.ReviewCase;
import dev.jwo.payments.v1.ReviewKind;
import dev.jwo.payments.v1.ReviewServiceGrpc;
import dev.jwo.payments.v1.Status;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The review desk and disputes as the payments module wires them, served in-process, on a clock the test moves.
 * Visits go through the real settlement against the simulated processor, whose ledger shows what was charged and
 * refunded.
 */
class ReviewAndDisputeGrpcTest {
  static final long T = 1_764_410_400_000L;
  static final dev.jwo.payments.EntryTimes ENTRIES = new dev.jwo.payments.EntryTimes(T);

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final VaultMasterKey masterKey = VaultMasterKey.random();
  private final AtomicLong now = new AtomicLong(T);
  /** The store's clock, which the test moves; tokens are issued on it too. */
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };
  private final TokenIssuer callers = TokenIssuer.withNewKey(TestLayouts.store().storeId().value(), clock);
  private final List<Injector> injectors = new ArrayList<>();
  private final List<JwoGrpcServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Injector injector;
  /** Alice's review desk (a reviewer's token with subject alice). */
  private ReviewServiceGrpc.ReviewServiceBlockingStub reviews;
  /** Bob's (another reviewer). */
  private ReviewServiceGrpc.ReviewServiceBlockingStub bobReviews;
  private DisputeServiceGrpc.DisputeServiceBlockingStub disputes;
  private ReceiptServiceGrpc.ReceiptServiceBlockingStub receipts;
  private SimulatedCardProcessor processor;
  /** The channels the store declared for personal data to leave by. */
  private ExportChannels declared = ExportChannels.DEFAULTS;

  @BeforeEach
  void start() {
    processor = new SimulatedCardProcessor();
    serve();
  }

  /** Starts a server on the test's storage (again, for a restart). */
  private void serve() {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(new CoreModule(TestLayouts.store()), new ComplianceModule(), new PaymentsModule(),
        new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
            .toInstance(GrpcServerSettings.inProcess(name));
        OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding().toInstance(clock);
        OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
        OptionalBinder.newOptionalBinder(binder(), VaultMasterKey.class).setBinding().toInstance(masterKey);
        OptionalBinder.newOptionalBinder(binder(), dev.jwo.payments.PaymentProvider.class).setBinding()
            .toInstance(processor);
        OptionalBinder.newOptionalBinder(binder(), CallerAuthentication.class).setBinding()
            .toInstance(callers.authentication());
        OptionalBinder.newOptionalBinder(binder(), ExportChannels.class).setBinding().toInstance(declared);
      }
    });
    injectors.add(injector);
    servers.add(injector.getInstance(JwoGrpcServer.class).start());
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(channel);
    reviews = ReviewServiceGrpc.newBlockingStub(callers.bearer(Role.REVIEWER, "alice").on(channel));
    bobReviews = ReviewServiceGrpc.newBlockingStub(callers.bearer(Role.REVIEWER, "bob").on(channel));
    disputes = DisputeServiceGrpc.newBlockingStub(callers.as(channel, Role.STAFF));
    receipts = ReceiptServiceGrpc.newBlockingStub(callers.as(channel, Role.REVIEWER));
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(s -> s.shutdown(Duration.ofSeconds(5)));
    injectors.forEach(i -> i.getInstance(VisitPayments.class).close());
  }

  @Test
  void aHeldReceiptIsListedWithItsEvidenceAndAge() throws Exception {
    String visit = settle("c-1", ReceiptStatus.REVIEW, List.of("two shoppers reached into bin A1-1"),
        new LineItem(WATER, 2, usd(199)));
    now.addAndGet(90_000);

    ListPendingReviewsResponse pending = reviews.listPendingReviews(ListPendingReviewsRequest.getDefaultInstance());

    assertThat(pending.getTotalPending()).isEqualTo(1);
    ReviewCase held = pending.getCases(0);
    assertThat(held.getVisitId()).isEqualTo(visit);
    assertThat(held.getKind()).isEqualTo(ReviewKind.HELD_RECEIPT);
    assertThat(held.getAgeSeconds()).isEqualTo(90);
    assertThat(held.getReasonsList()).containsExactly("two shoppers reached into bin A1-1");
    assertThat(held.getLinesList()).singleElement().satisfies(l -> assertThat(l.getQuantity()).isEqualTo(2));
    assertThat(held.getTotal().getMinor()).isEqualTo(398);
    assertThat(held.getLeaseId()).isEmpty();
    assertThat(reviews.listPendingReviews(ListPendingReviewsRequest.newBuilder().setMinAgeSeconds(91).build())
        .getCasesCount()).isZero();
    assertThat(reviews.listPendingReviews(ListPendingReviewsRequest.newBuilder().setReasonContains("BIN A1")
        .build()).getCasesCount()).isEqualTo(1);
    assertThat(reviews.listPendingReviews(ListPendingReviewsRequest.newBuilder().setKind(ReviewKind.DISPUTE)
        .build()).getCasesCount()).isZero();
    MeterRegistry registry = injector.getInstance(MeterRegistry.class);
    assertThat(registry.get("jwo.review.pending").gauge().value()).isEqualTo(1);
    assertThat(registry.get("jwo.review.oldest.age").gauge().value()).isEqualTo(90);
  }

  @Test
  void everyCaseSentToReviewersPassesTheExportGuardByTheReviewDesk() throws Exception {
    String visit = settle("c-1", ReceiptStatus.REVIEW, List.of("tracks t1 and t2 reached into bin A1-1"),
        new LineItem(WATER, 1, usd(199)));

    reviews.listPendingReviews(ListPendingReviewsRequest.getDefaultInstance());
    reviews.getReview(GetReviewRequest.newBuilder().setVisitId(visit).build());
    ReviewCase claimed = reviews.claimReview(claim(visit, "", 60));
    reviews.resolveReview(confirmAll(visit, "", claimed.getLeaseId(), 1));

    AuditChain chain = injector.getInstance(AuditChain.class);
    List<AuditRecord> sent = audit().stream().filter(r -> r.type() == AuditType.DISCLOSURE)
        .filter(r -> "review-desk".equals(r.detail("recipient"))).toList();
    String shopper = chain.subjectOf(Credential.of("c-1"));
    assertThat(sent).extracting(r -> r.detail("reference")).containsExactly("pending reviews by 100",
        visit + "/review/case", visit + "/review/claim", visit + "/review/resolution");
    assertThat(sent).extracting(AuditRecord::subject).containsExactly("", shopper, shopper, shopper);
    assertThat(sent).allSatisfy(r -> {
      assertThat(r.detail("categories")).isEqualTo("location_track,purchase");
      assertThat(r.detail("biometric")).isEqualTo("false");
    });
  }

  @Test
  void aStoreWithoutAReviewDeskChannelShowsNoCaseAndLetsNobodyClaimOne() throws Exception {
    declared = ExportChannels.of(List.of(ExportChannels.PAYMENT_PROVIDER, ExportChannels.RECEIPTS,
        ExportChannels.BACK_OFFICE, ExportChannels.SHOPPER_APP));
    serve();
    String visit = settle("c-1", ReceiptStatus.REVIEW, List.of("doubt"), new LineItem(WATER, 1, usd(199)));

    List<StatusRuntimeException> refusals = List.of(
        catchThrowableOfType(StatusRuntimeException.class,
            () -> reviews.listPendingReviews(ListPendingReviewsRequest.getDefaultInstance())),
        catchThrowableOfType(StatusRuntimeException.class,
            () -> reviews.getReview(GetReviewRequest.newBuilder().setVisitId(visit).build())),
        catchThrowableOfType(StatusRuntimeException.class, () -> reviews.claimReview(claim(visit, "", 60))));

    assertThat(refusals).allSatisfy(e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
      assertThat(e.getStatus().getDescription()).contains("no export channel to 'review-desk' is declared");
    });
    assertThat(injector.getInstance(ReviewDesk.class).get(dev.jwo.core.VisitId.of(visit)).orElseThrow()
        .getClaimedBy()).as("a refused claim claims nothing").isEmpty();
    assertThat(audit()).filteredOn(r -> r.type() == AuditType.DISCLOSURE_REFUSED)
        .extracting(r -> r.detail("recipient")).containsExactly("review-desk", "review-desk", "review-desk");
  }

  @Test
  void aLeaseKeepsOtherReviewersOutUntilItExpires() throws Exception {
    String visit = settle("c-1", ReceiptStatus.REVIEW, List.of("doubt"), new LineItem(WATER, 1, usd(199)));

    ReviewCase alice = reviews.claimReview(claim(visit, "alice", 60));
    StatusRuntimeException bob = catchThrowableOfType(StatusRuntimeException.class,
        () -> bobReviews.claimReview(claim(visit, "bob", 60)));
    assertThat(alice.getLeaseId()).isNotEmpty();
    assertThat(bob.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
    assertThat(bob.getStatus().getDescription()).contains("claimed by reviewer/alice");
    assertThat(bobReviews.listPendingReviews(ListPendingReviewsRequest.getDefaultInstance()).getCasesCount())
        .isZero();

    now.addAndGet(61_000);
    ReviewCase bobs = bobReviews.claimReview(claim(visit, "", 60));
    StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviews.resolveReview(confirmAll(visit, "alice", alice.getLeaseId(), 1)));

    assertThat(bobs.getClaimedBy()).isEqualTo("reviewer/bob");
    assertThat(late.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
    assertThat(late.getStatus().getDescription()).contains("needs a valid lease");
  }

  @Test
  void theDeskRecordsTheAuthenticatedCallerAndRefusesARequestInAnotherName() throws Exception {
    String visit = settle("c-1", ReceiptStatus.REVIEW, List.of("doubt"), new LineItem(WATER, 1, usd(199)));

    StatusRuntimeException claimAsAlice = catchThrowableOfType(StatusRuntimeException.class,
        () -> bobReviews.claimReview(claim(visit, "alice", 600)));
    ReviewCase bobs = bobReviews.claimReview(claim(visit, "", 600));
    StatusRuntimeException resolveAsAlice = catchThrowableOfType(StatusRuntimeException.class,
        () -> bobReviews.resolveReview(confirmAll(visit, "reviewer/alice", bobs.getLeaseId(), 1)));
    StatusRuntimeException aliceWithBobsLease = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviews.resolveReview(confirmAll(visit, "bob", bobs.getLeaseId(), 1)));
    StatusRuntimeException aliceUsesBobsLeaseId = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviews.resolveReview(confirmAll(visit, "", bobs.getLeaseId(), 1)));
    ResolveReviewResponse resolved = bobReviews.resolveReview(confirmAll(visit, "", bobs.getLeaseId(), 1));
    idle();

    assertThat(claimAsAlice.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(claimAsAlice.getStatus().getDescription()).contains("'alice' is not the caller (reviewer/bob)");
    assertThat(resolveAsAlice.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(aliceWithBobsLease.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(aliceUsesBobsLeaseId.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
    assertThat(bobs.getClaimedBy()).isEqualTo("reviewer/bob");
    assertThat(resolved.getResolved().getResolvedBy()).isEqualTo("reviewer/bob");
    assertThat(resolved.getReceipt().getAmendment()).contains("reviewer/bob").doesNotContain("alice");
    assertThat(audit()).filteredOn(r -> r.type() == AuditType.REVIEW_RESOLVED).singleElement()
        .satisfies(r -> assertThat(r.details()).containsEntry("reviewer", "reviewer/bob")
            .containsEntry("caller", "reviewer/bob"));
  }

  @Test
  void aResolutionLineByLineChargesTheCorrectedCartAndIssuesANewVersion() throws Exception {
    String visit = settle("c-1", ReceiptStatus.REVIEW, List.of("doubt"),
        new LineItem(WATER, 2, usd(199)), new LineItem(JUICE, 1, usd(2_999)));
    now.addAndGet(300_000);
    ReviewCase claimed = reviews.claimReview(claim(visit, "alice", 600));

    StatusRuntimeException lineLeftOut = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviews.resolveReview(ResolveReviewRequest.newBuilder().setVisitId(visit).setReviewer("alice")
            .setLeaseId(claimed.getLeaseId()).addDecisions(confirm(0)).build()));
    StatusRuntimeException unknownProduct = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviews.resolveReview(confirmAll(visit, "alice", claimed.getLeaseId(), 2).toBuilder()
            .addAddLines(AddLine.newBuilder().setSku("no-such").setQuantity(1)).build()));
    assertThat(lineLeftOut.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(lineLeftOut.getStatus().getDescription()).contains("line 1").contains("has no decision");
    assertThat(unknownProduct.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);

    ResolveReviewResponse resolved = reviews.resolveReview(ResolveReviewRequest.newBuilder()
        .setVisitId(visit).setReviewer("alice").setLeaseId(claimed.getLeaseId()).setNote("video checked")
        .addDecisions(LineDecision.newBuilder().setLineIndex(0)
            .setChange(LineDecision.Change.newBuilder().setQuantity(1)))
        .addDecisions(LineDecision.newBuilder().setLineIndex(1).setDelete(LineDecision.Delete.getDefaultInstance()))
        .addAddLines(AddLine.newBuilder().setSku(WATER.value()).setQuantity(3))
        .build());
    idle();

    assertThat(resolved.getResolved().getResolved()).isTrue();
    assertThat(resolved.getResolved().getResolvedBy()).isEqualTo("reviewer/alice");
    Receipt issued = receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId(visit).build());
    assertThat(issued.getStatus()).isEqualTo(Status.CHARGED);
    assertThat(issued.getVersion()).isEqualTo(2);
    assertThat(issued.getTotal().getMinor()).isEqualTo(4 * 199);
    assertThat(issued.getAmendment()).contains("alice");
    assertThat(processor.captures()).singleElement().satisfies(c -> assertThat(c.amount()).isEqualTo(usd(796)));
    List<Receipt> versions = receipts.listReceiptVersions(ListReceiptVersionsRequest.newBuilder()
        .setVisitId(visit).build()).getVersionsList();
    assertThat(versions).extracting(Receipt::getVersion, Receipt::getStatus)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Status.REVIEW),
            org.assertj.core.groups.Tuple.tuple(2, Status.CHARGED));
    assertThat(versions.get(0).getTotal().getMinor()).isEqualTo(398 + 2_999);
    AuditRecord record = audit().stream().filter(r -> r.type() == AuditType.REVIEW_RESOLVED)
        .findFirst().orElseThrow();
    assertThat(record.details()).containsEntry("reviewer", "reviewer/alice").containsEntry("caller", "reviewer/alice")
        .containsEntry("visit", visit)
        .containsEntry("changes", "0001x2,0003x1 -> 0001x1,0001x3").containsEntry("note", "video checked");
    assertThat(record.subject())
        .isEqualTo(injector.getInstance(dev.jwo.compliance.keys.Subjects.class).of(Credential.of("c-1")));
    MeterRegistry registry = injector.getInstance(MeterRegistry.class);
    assertThat(registry.get("jwo.review.pending").gauge().value()).isZero();
    assertThat(registry.get("jwo.review.resolve.time").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(300);
    StatusRuntimeException again = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviews.resolveReview(confirmAll(visit, "alice", claimed.getLeaseId(), 2)));
    assertThat(again.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void aLineMovedToAnotherHeldVisitJoinsItsReceipt() throws Exception {
    String from = settle("c-1", ReceiptStatus.REVIEW, List.of("doubt"),
        new LineItem(WATER, 1, usd(199)), new LineItem(JUICE, 1, usd(2_999)));
    String to = settle("c-2", ReceiptStatus.REVIEW, List.of("doubt"), new LineItem(WATER, 1, usd(199)));
    String charged = settle("c-3", ReceiptStatus.CHARGED, List.of(), new LineItem(WATER, 1, usd(199)));
    ReviewCase claimed = reviews.claimReview(claim(from, "alice", 600));

    StatusRuntimeException toCharged = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviews.resolveReview(move(from, claimed.getLeaseId(), charged)));
    reviews.resolveReview(move(from, claimed.getLeaseId(), to));
    idle();

    assertThat(toCharged.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
    assertThat(toCharged.getStatus().getDescription()).contains("is not held for review");
    Receipt target = receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId(to).build());
    assertThat(target.getStatus()).isEqualTo(Status.REVIEW);
    assertThat(target.getVersion()).isEqualTo(2);
    assertThat(target.getLinesList()).extracting(l -> l.getSku()).containsExactly(WATER.value(), JUICE.value());
    assertThat(receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId(from).build()).getTotal().getMinor())
        .isEqualTo(199);
    assertThat(reviews.listPendingReviews(ListPendingReviewsRequest.getDefaultInstance()).getCasesList())
        .extracting(ReviewCase::getVisitId).containsExactly(to);
  }

  @Test
  void casesSurviveARestart() throws Exception {
    String visit = settle("c-1", ReceiptStatus.REVIEW, List.of("doubt"), new LineItem(WATER, 1, usd(199)));
    reviews.claimReview(claim(visit, "alice", 600));

    serve();

    ReviewCase again = reviews.listPendingReviews(ListPendingReviewsRequest.newBuilder().setIncludeClaimed(true)
        .build()).getCases(0);
    assertThat(again.getVisitId()).isEqualTo(visit);
    assertThat(again.getClaimedBy()).isEqualTo("reviewer/alice");
  }

  @Test
  void aSmallContestIsRefundedAtOnceAndTheReceiptAmendedOnce() throws Exception {
    String visit = settle("c-1", ReceiptStatus.CHARGED, List.of(),
        new LineItem(WATER, 2, usd(199)), new LineItem(JUICE, 1, usd(2_999)));
    ContestReceiptLineRequest contest = ContestReceiptLineRequest.newBuilder().setVisitId(visit).setReceiptVersion(1)
        .setLineIndex(0).setQuantity(1).setReason(ContestReason.NOT_TAKEN).build();

    ContestReceiptLineResponse first = disputes.contestReceiptLine(contest);
    ContestReceiptLineResponse repeated = disputes.contestReceiptLine(contest);

    assertThat(first.getOutcome()).isEqualTo(ContestReceiptLineResponse.Outcome.REFUNDED);
    assertThat(first.getAmount().getMinor()).isEqualTo(199);
    assertThat(first.getReceipt().getVersion()).isEqualTo(2);
    assertThat(first.getReceipt().getTotal().getMinor()).isEqualTo(199 + 2_999);
    assertThat(first.getReceipt().getLines(0).getQuantity()).isEqualTo(1);
    assertThat(repeated.getOutcome()).isEqualTo(ContestReceiptLineResponse.Outcome.REFUNDED);
    assertThat(repeated.getDisputeId()).isEqualTo(first.getDisputeId());
    assertThat(processor.ledger()).filteredOn(e -> e.operation() == Operation.REFUND).singleElement()
        .satisfies(e -> assertThat(e.amount()).isEqualTo(usd(199)));
    Receipt original = receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId(visit).setVersion(1).build());
    assertThat(original.getTotal().getMinor()).isEqualTo(398 + 2_999);
    assertThat(audit()).filteredOn(r -> r.type() == AuditType.REFUND_ISSUED).hasSize(1);
  }

  @Test
  void aLargeContestGoesToReviewWhereTheReviewerRefundsIt() throws Exception {
    String visit = settle("c-1", ReceiptStatus.CHARGED, List.of(),
        new LineItem(WATER, 2, usd(199)), new LineItem(JUICE, 1, usd(2_999)));

    ContestReceiptLineResponse sent = disputes.contestReceiptLine(ContestReceiptLineRequest.newBuilder()
        .setVisitId(visit).setLineIndex(1).setQuantity(1).setReason(ContestReason.WRONG_PRODUCT)
        .setNote("I took the small one").build());
    ReviewCase dispute = reviews.listPendingReviews(ListPendingReviewsRequest.newBuilder()
        .setKind(ReviewKind.DISPUTE).build()).getCases(0);
    ReviewCase claimed = bobReviews.claimReview(claim(visit, "bob", 600));
    bobReviews.resolveReview(ResolveReviewRequest.newBuilder().setVisitId(visit).setReviewer("bob")
        .setLeaseId(claimed.getLeaseId()).addDecisions(confirm(0))
        .addDecisions(LineDecision.newBuilder().setLineIndex(1).setDelete(LineDecision.Delete.getDefaultInstance()))
        .build());

    assertThat(sent.getOutcome()).isEqualTo(ContestReceiptLineResponse.Outcome.SENT_TO_REVIEW);
    assertThat(dispute.getDispute().getSku()).isEqualTo(JUICE.value());
    assertThat(dispute.getDispute().getAmount().getMinor()).isEqualTo(2_999);
    assertThat(dispute.getReasonsList()).anyMatch(r -> r.contains("wrong product") && r.contains("small one"));
    assertThat(processor.ledger()).filteredOn(e -> e.operation() == Operation.REFUND).singleElement()
        .satisfies(e -> assertThat(e.amount()).isEqualTo(usd(2_999)));
    Receipt amended = receipts.getReceipt(GetReceiptRequest.newBuilder().setVisitId(visit).build());
    assertThat(amended.getVersion()).isEqualTo(2);
    assertThat(amended.getTotal().getMinor()).isEqualTo(398);
    assertThat(amended.getStatus()).isEqualTo(Status.CHARGED);
  }

  @Test
  void contestsOfReceiptsNotChargedOrOfMissingLinesAreRefused() throws Exception {
    String held = settle("c-1", ReceiptStatus.REVIEW, List.of("doubt"), new LineItem(WATER, 1, usd(199)));
    String charged = settle("c-2", ReceiptStatus.CHARGED, List.of(), new LineItem(WATER, 1, usd(199)));

    StatusRuntimeException notCharged = catchThrowableOfType(StatusRuntimeException.class,
        () -> disputes.contestReceiptLine(ContestReceiptLineRequest.newBuilder().setVisitId(held)
            .setQuantity(1).setReason(ContestReason.NOT_TAKEN).build()));
    StatusRuntimeException noLine = catchThrowableOfType(StatusRuntimeException.class,
        () -> disputes.contestReceiptLine(ContestReceiptLineRequest.newBuilder().setVisitId(charged)
            .setLineIndex(3).setQuantity(1).setReason(ContestReason.NOT_TAKEN).build()));
    StatusRuntimeException tooMany = catchThrowableOfType(StatusRuntimeException.class,
        () -> disputes.contestReceiptLine(ContestReceiptLineRequest.newBuilder().setVisitId(charged)
            .setQuantity(2).setReason(ContestReason.NOT_TAKEN).build()));
    StatusRuntimeException noReason = catchThrowableOfType(StatusRuntimeException.class,
        () -> disputes.contestReceiptLine(ContestReceiptLineRequest.newBuilder().setVisitId(charged)
            .setQuantity(1).build()));

    assertThat(notCharged.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
    assertThat(noLine.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(tooMany.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(noReason.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(processor.ledger()).noneMatch(e -> e.operation() == Operation.REFUND);
  }

  private String settle(String card, ReceiptStatus decision, List<String> reasons, LineItem... items)
      throws InterruptedException {
    EntryEvent entry = new EntryEvent(ENTRIES.of(card), GateId.of("in-1"), Credential.of(card), 1, null);
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    payments.onEvent(entry);
    payments.settle(new VisitOutcome(Admission.from(entry), decision, List.of(items), T + 60_000, T + 61_000,
        reasons));
    idle();
    return Admission.from(entry).visitId().value();
  }

  private void idle() throws InterruptedException {
    assertThat(injector.getInstance(VisitPayments.class).awaitIdle(Duration.ofSeconds(10))).isTrue();
  }

  private List<AuditRecord> audit() {
    return injector.getInstance(AuditChain.class).records();
  }

  private static ClaimReviewRequest claim(String visit, String reviewer, int seconds) {
    return ClaimReviewRequest.newBuilder().setVisitId(visit).setReviewer(reviewer).setLeaseSeconds(seconds).build();
  }

  private static LineDecision confirm(int line) {
    return LineDecision.newBuilder().setLineIndex(line).setConfirm(LineDecision.Confirm.getDefaultInstance()).build();
  }

  private static ResolveReviewRequest confirmAll(String visit, String reviewer, String lease, int lines) {
    ResolveReviewRequest.Builder b = ResolveReviewRequest.newBuilder().setVisitId(visit).setReviewer(reviewer)
        .setLeaseId(lease);
    for (int i = 0; i < lines; i++) {
      b.addDecisions(confirm(i));
    }
    return b.build();
  }

  private static ResolveReviewRequest move(String visit, String lease, String to) {
    return ResolveReviewRequest.newBuilder().setVisitId(visit).setReviewer("alice").setLeaseId(lease)
        .addDecisions(confirm(0))
        .addDecisions(LineDecision.newBuilder().setLineIndex(1)
            .setMove(LineDecision.MoveToVisit.newBuilder().setVisitId(to)))
        .build();
  }

  private static Money usd(long minor) {
    return Money.ofMinor(minor, "USD");
  }
}
