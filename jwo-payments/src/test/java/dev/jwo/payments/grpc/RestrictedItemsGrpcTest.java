package dev.jwo.payments.grpc;

import static dev.jwo.payments.grpc.TaxedReceiptsGrpcTest.BEER;
import static dev.jwo.payments.grpc.TaxedReceiptsGrpcTest.BREAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.security.Role;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentsTestStore;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.v1.ClaimReviewRequest;
import dev.jwo.payments.v1.LineDecision;
import dev.jwo.payments.v1.RecordVerifiedAgeRequest;
import dev.jwo.payments.v1.ResolveReviewRequest;
import dev.jwo.payments.v1.ResolveStaffCheckRequest;
import dev.jwo.payments.v1.RestrictedItemServiceGrpc;
import dev.jwo.payments.v1.RestrictedLine;
import dev.jwo.payments.v1.ReviewCase;
import dev.jwo.payments.v1.ReviewServiceGrpc;
import dev.jwo.payments.v1.StaffCheck;
import dev.jwo.payments.v1.WatchStaffChecksRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restricted items as the payments module wires them (beer is flagged age-restricted in the catalog; the store is
 * in New York, so the default rules ask 21), served in-process, settling through the real payments against the
 * simulated processor.
 */
class RestrictedItemsGrpcTest {
  static final long T = 1_764_410_400_000L;
  static final dev.jwo.payments.EntryTimes ENTRIES = new dev.jwo.payments.EntryTimes(T);

  private final SimulatedCardProcessor processor = new SimulatedCardProcessor();
  private final PaymentsTestStore store = new PaymentsTestStore(
      TaxedReceiptsGrpcTest.store(TaxedReceiptsGrpcTest.USD, 250, 899), new AbstractModule() {
    @Override
    protected void configure() {
      OptionalBinder.newOptionalBinder(binder(), PaymentProvider.class).setBinding().toInstance(processor);
    }
  });
  private Injector injector;
  private ManagedChannel channel;
  private RestrictedItemServiceGrpc.RestrictedItemServiceBlockingStub staff;

  @BeforeEach
  void start() {
    store.start();
    stubs();
  }

  private void serve() {
    store.restart();
    stubs();
  }

  private void stubs() {
    injector = store.injector();
    channel = store.channel();
    staff = RestrictedItemServiceGrpc.newBlockingStub(store.callers().bearer(Role.STAFF, "sam").on(channel));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void aCredentialWithAVerifiedAgeOldEnoughTakesBeerWithoutACheck() throws Exception {
    Admission adult = enter("c-adult");
    shopper("c-adult").recordVerifiedAge(RecordVerifiedAgeRequest.newBuilder().setVisitId(adult.visitId().value())
        .setVerifiedAgeYears(34).setVerificationReference("idv-123").build());

    items().taken(adult.visitId(), List.of(BREAD, BEER), T + 10_000);
    settle(adult, new LineItem(BEER, 2, usd(899)));

    assertThat(items().get(adult.visitId())).isEmpty();
    assertThat(receipt(adult)).isNotNull().satisfies(r -> assertThat(r.status()).isEqualTo(ReceiptStatus.CHARGED));
  }

  @Test
  void takingBeerWithoutAVerifiedAgeRaisesACheckOnTheStaffStreamAndTheReceiptWaitsForIt() throws Exception {
    Admission young = enter("c-young");
    shopper("c-young").recordVerifiedAge(RecordVerifiedAgeRequest.newBuilder().setVisitId(young.visitId().value())
        .setVerifiedAgeYears(19).setVerificationReference("idv-9").build());
    Admission unknown = enter("c-unknown");

    try (Context.CancellableContext context = Context.current().withCancellation()) {
      Iterator<StaffCheck> live = context.call(() -> staff.watchStaffChecks(WatchStaffChecksRequest.newBuilder()
          .setFollow(true).setPendingOnly(true).build()));
      items().taken(young.visitId(), List.of(BREAD, BEER), T + 10_000);
      StaffCheck raised = live.next();
      items().taken(unknown.visitId(), List.of(BEER), T + 11_000);
      StaffCheck second = live.next();

      assertThat(raised.getVisitId()).isEqualTo(young.visitId().value());
      assertThat(raised.getState()).isEqualTo(StaffCheck.State.PENDING);
      assertThat(raised.getItemsList()).singleElement().satisfies(l -> {
        assertThat(l.getSku()).isEqualTo(BEER.value());
        assertThat(l.getMinimumAge()).isEqualTo(21);
        assertThat(l.getRule()).isEqualTo("age-restricted");
      });
      assertThat(raised.hasHeld()).isFalse();
      assertThat(second.getVisitId()).isEqualTo(unknown.visitId().value());
    }

    settle(young, new LineItem(BREAD, 1, usd(250)), new LineItem(BEER, 1, usd(899)));
    assertThat(receipt(young)).as("the receipt waits for staff").isNull();
    assertThat(processor.captures()).isEmpty();
    assertThat(items().get(young.visitId()).orElseThrow().getReceiptWaiting()).isTrue();
    assertThat(injector.getInstance(dev.jwo.core.storage.StoreStorage.class).table(RestrictedItems.CHECKS)
        .get(young.visitId().value()).orElseThrow().value())
        .as("the waiting receipt's check keeps the keyed subject, not the credential")
        .asString(java.nio.charset.StandardCharsets.ISO_8859_1).doesNotContain("c-young");

    StaffCheck approved = staff.resolveStaffCheck(ResolveStaffCheckRequest.newBuilder()
        .setVisitId(young.visitId().value()).setApproved(true).setNote("ID checked at the door").build());
    idle();

    assertThat(approved.getState()).isEqualTo(StaffCheck.State.APPROVED);
    assertThat(approved.getResolvedBy()).isEqualTo("staff/sam");
    assertThat(receipt(young).items()).extracting(LineItem::sku).containsExactly(BREAD, BEER);
    assertThat(receipt(young).credential()).isEqualTo(Credential.of("c-young"));
    assertThat(processor.captures()).singleElement().satisfies(c -> assertThat(c.amount()).isEqualTo(usd(1_149)));
    StatusRuntimeException twice = catchThrowableOfType(StatusRuntimeException.class,
        () -> staff.resolveStaffCheck(ResolveStaffCheckRequest.newBuilder().setVisitId(young.visitId().value())
            .setApproved(false).build()));
    assertThat(twice.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void aWaitingReceiptSurvivesARestartAndARefusalLeavesTheRestrictedItemsOff() throws Exception {
    Admission party = enter("c-1");
    settle(party, new LineItem(BREAD, 2, usd(250)), new LineItem(BEER, 1, usd(899)));
    assertThat(receipt(party)).isNull();

    serve();
    StaffCheck refused = staff.resolveStaffCheck(ResolveStaffCheckRequest.newBuilder()
        .setVisitId(party.visitId().value()).setApproved(false).setNote("no ID, beer put back").build());
    idle();

    assertThat(refused.getState()).isEqualTo(StaffCheck.State.REFUSED);
    assertThat(receipt(party).items()).extracting(LineItem::sku).containsExactly(BREAD);
    assertThat(processor.captures()).singleElement().satisfies(c -> assertThat(c.amount()).isEqualTo(usd(500)));
  }

  @Test
  void aReceiptResolvedAtReviewWaitsForTheStaffCheckOfItsRestrictedItems() throws Exception {
    Admission party = enter("c-1");
    injector.getInstance(VisitSettlement.class).settle(new VisitOutcome(party, ReceiptStatus.REVIEW,
        List.of(new LineItem(BREAD, 1, usd(250)), new LineItem(BEER, 1, usd(899))), T + 60_000, T + 61_000,
        List.of("two shoppers near the beer")));
    idle();
    ReviewServiceGrpc.ReviewServiceBlockingStub reviews = ReviewServiceGrpc.newBlockingStub(
        store.callers().bearer(Role.REVIEWER, "rita").on(channel));
    ReviewCase claimed = reviews.claimReview(ClaimReviewRequest.newBuilder().setVisitId(party.visitId().value())
        .setLeaseSeconds(60).build());

    reviews.resolveReview(ResolveReviewRequest.newBuilder().setVisitId(party.visitId().value())
        .setLeaseId(claimed.getLeaseId())
        .addDecisions(LineDecision.newBuilder().setLineIndex(0).setConfirm(LineDecision.Confirm.getDefaultInstance()))
        .addDecisions(LineDecision.newBuilder().setLineIndex(1).setConfirm(LineDecision.Confirm.getDefaultInstance()))
        .build());
    idle();

    assertThat(processor.captures()).as("the charge waits for staff").isEmpty();
    assertThat(items().get(party.visitId())).hasValueSatisfying(c -> {
      assertThat(c.getState()).isEqualTo(StaffCheck.State.PENDING);
      assertThat(c.getReceiptWaiting()).isTrue();
      assertThat(c.getItemsList()).extracting(RestrictedLine::getSku).containsExactly(BEER.value());
    });

    staff.resolveStaffCheck(ResolveStaffCheckRequest.newBuilder().setVisitId(party.visitId().value())
        .setApproved(false).setNote("no ID, beer put back").build());
    idle();

    assertThat(receipt(party).items()).extracting(LineItem::sku).containsExactly(BREAD);
    assertThat(receipt(party).status()).isEqualTo(ReceiptStatus.CHARGED);
    assertThat(processor.captures()).singleElement().satisfies(c -> assertThat(c.amount()).isEqualTo(usd(250)));
  }

  @Test
  void verifiedAgesAndStaffChecksNameTheShopperByHerKeyedSubjectOnly() {
    Admission adult = enter("c-adult");
    Admission unknown = enter("c-unknown");
    shopper("c-adult").recordVerifiedAge(RecordVerifiedAgeRequest.newBuilder().setVisitId(adult.visitId().value())
        .setVerifiedAgeYears(34).setVerificationReference("idv-123").build());
    items().taken(unknown.visitId(), List.of(BEER), T + 10_000);
    dev.jwo.compliance.keys.Subjects subjects = injector.getInstance(dev.jwo.compliance.keys.Subjects.class);

    List<dev.jwo.core.storage.KeyedValue> ages = injector.getInstance(dev.jwo.core.storage.StoreStorage.class)
        .table(RestrictedItems.AGES).scan("");
    assertThat(ages).extracting(dev.jwo.core.storage.KeyedValue::key)
        .containsExactly(subjects.of(Credential.of("c-adult")));
    assertThat(items().verifiedAge(Credential.of("c-adult"))).contains(34);
    assertThat(items().get(unknown.visitId()).orElseThrow().getCredentialPseudonym())
        .isEqualTo(subjects.of(Credential.of("c-unknown")));
    // Neither table holds the 48-bit unkeyed SHA-256 prefix they were keyed by before, which a list of credentials
    // reverses.
    for (String card : List.of("c-adult", "c-unknown")) {
      String unkeyed = dev.jwo.compliance.internal.Canonical.sha256Hex(card).substring(0, 12);
      for (String table : List.of(RestrictedItems.AGES, RestrictedItems.CHECKS)) {
        assertThat(injector.getInstance(dev.jwo.core.storage.StoreStorage.class).table(table).scan(""))
            .allSatisfy(row -> {
              assertThat(row.key()).doesNotContain(unkeyed);
              assertThat(new String(row.value().value(), java.nio.charset.StandardCharsets.ISO_8859_1))
                  .doesNotContain(unkeyed);
            });
      }
    }
  }

  @Test
  void onlyTheParty_sOwnAppRecordsItsAgeAndBadAgesAreRefused() {
    Admission party = enter("c-1");
    enter("c-2");

    StatusRuntimeException other = catchThrowableOfType(StatusRuntimeException.class,
        () -> shopper("c-2").recordVerifiedAge(RecordVerifiedAgeRequest.newBuilder()
            .setVisitId(party.visitId().value()).setVerifiedAgeYears(40).setVerificationReference("x").build()));
    StatusRuntimeException bad = catchThrowableOfType(StatusRuntimeException.class,
        () -> shopper("c-1").recordVerifiedAge(RecordVerifiedAgeRequest.newBuilder()
            .setVisitId(party.visitId().value()).setVerifiedAgeYears(400).setVerificationReference("x").build()));
    StatusRuntimeException noStaffRecord = catchThrowableOfType(StatusRuntimeException.class,
        () -> staff.recordVerifiedAge(RecordVerifiedAgeRequest.newBuilder().setVisitId(party.visitId().value())
            .setVerifiedAgeYears(40).setVerificationReference("x").build()));

    assertThat(other.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(bad.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(noStaffRecord.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(items().verifiedAge(Credential.of("c-1"))).isEmpty();
  }

  private RestrictedItemServiceGrpc.RestrictedItemServiceBlockingStub shopper(String card) {
    return RestrictedItemServiceGrpc.newBlockingStub(store.callers().shopper("app-" + card, Credential.of(card))
        .on(channel));
  }

  private RestrictedItems items() {
    return injector.getInstance(RestrictedItems.class);
  }

  private Admission enter(String card) {
    EntryEvent entry = new EntryEvent(ENTRIES.of(card), GateId.of("in-1"), Credential.of(card), 1, null);
    injector.getInstance(VisitPayments.class).onEvent(entry);
    Admission admission = Admission.from(entry);
    items().visitStarted(admission);
    return admission;
  }

  private void settle(Admission admission, LineItem... lines) throws InterruptedException {
    injector.getInstance(VisitSettlement.class).settle(new VisitOutcome(admission, ReceiptStatus.CHARGED,
        List.of(lines), T + 60_000, T + 61_000, List.of()));
    idle();
  }

  private void idle() throws InterruptedException {
    assertThat(injector.getInstance(VisitPayments.class).awaitIdle(Duration.ofSeconds(10))).isTrue();
  }

  private dev.jwo.payments.@org.jspecify.annotations.Nullable Receipt receipt(Admission admission) {
    return injector.getInstance(ReceiptBook.class).receipt(admission.visitId()).orElse(null);
  }

  private static Money usd(long minor) {
    return new Money(minor, TaxedReceiptsGrpcTest.USD);
  }
}
