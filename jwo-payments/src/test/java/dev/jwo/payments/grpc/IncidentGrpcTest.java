package dev.jwo.payments.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.security.Role;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.PaymentsTestStore;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.v1.Incident;
import dev.jwo.payments.v1.IncidentKind;
import dev.jwo.payments.v1.IncidentServiceGrpc;
import dev.jwo.payments.v1.WatchIncidentsRequest;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incidents as the payments module wires them, served in-process: unpaid exits found in the real settlement's
 * receipts (the simulated processor declines cards named "decline..."), tailgating as the vision module reports it.
 */
class IncidentGrpcTest {
  static final long T = 1_764_410_400_000L;
  static final dev.jwo.payments.EntryTimes ENTRIES = new dev.jwo.payments.EntryTimes(T);

  private final SimulatedCardProcessor processor = new SimulatedCardProcessor();
  private final PaymentsTestStore store = new PaymentsTestStore(TestLayouts.store(), new AbstractModule() {
    @Override
    protected void configure() {
      OptionalBinder.newOptionalBinder(binder(), PaymentProvider.class).setBinding().toInstance(processor);
    }
  });
  private Injector injector;
  private IncidentServiceGrpc.IncidentServiceBlockingStub staff;
  private IncidentServiceGrpc.IncidentServiceBlockingStub reviewer;

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
    staff = IncidentServiceGrpc.newBlockingStub(store.as(Role.STAFF));
    reviewer = IncidentServiceGrpc.newBlockingStub(store.as(Role.REVIEWER));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void aPartyLeavingWithItemsOnADeclinedCardIsAnUnpaidExitWithItsEvidence() throws Exception {
    String unpaid = settle("decline-c-1", new LineItem(TestLayouts.WATER, 2, usd(199)));
    settle("decline-c-2");
    settle("c-3", new LineItem(TestLayouts.WATER, 1, usd(199)));

    List<Incident> listed = list(WatchIncidentsRequest.getDefaultInstance());

    assertThat(listed).singleElement().satisfies(i -> {
      assertThat(i.getKind()).isEqualTo(IncidentKind.UNPAID_EXIT);
      assertThat(i.getVisitId()).isEqualTo(unpaid);
      assertThat(i.getTsMs()).isEqualTo(T + 60_000);
      assertThat(i.getAmount().getMinor()).isEqualTo(398);
      assertThat(i.getDescription()).contains("could not be charged").contains("declined");
      assertThat(i.getDescription()).doesNotContain("decline-c-1");
    });
    assertThat(registry().get("jwo.incidents").tag("kind", "unpaid_exit").counter().count()).isEqualTo(1);
  }

  @Test
  void tailgatingIsRecordedOnceEvenWhenReportedAgainAfterARestart() throws Exception {
    VisitId party = VisitId.of("v-party");
    IncidentLog log = injector.getInstance(IncidentLog.class);
    assertThat(log.tailgating(GateId.of("in-1"), TrackId.of("t-7"), T + 5_000, party, 2)).isTrue();
    assertThat(log.tailgating(GateId.of("in-1"), TrackId.of("t-7"), T + 5_000, party, 2)).isFalse();

    serve();
    boolean again = injector.getInstance(IncidentLog.class)
        .tailgating(GateId.of("in-1"), TrackId.of("t-7"), T + 5_000, party, 2);
    List<Incident> listed = list(WatchIncidentsRequest.newBuilder().setKind(IncidentKind.TAILGATING).build());

    assertThat(again).isFalse();
    assertThat(listed).singleElement().satisfies(i -> {
      assertThat(i.getGateId()).isEqualTo("in-1");
      assertThat(i.getTrackId()).isEqualTo("t-7");
      assertThat(i.getVisitId()).isEqualTo("v-party");
      assertThat(i.getTsMs()).isEqualTo(T + 5_000);
      assertThat(i.getDescription()).contains("behind a party admitted for 2 people");
    });
    assertThat(registry().get("jwo.incidents").tag("kind", "tailgating").counter().count()).isZero();
  }

  @Test
  void aFollowingStaffDeviceGetsTheHistoryThenEachNewIncidentLive() throws Exception {
    IncidentLog log = injector.getInstance(IncidentLog.class);
    log.tailgating(GateId.of("in-1"), TrackId.of("t-1"), T + 1_000, null, 0);
    log.tailgating(GateId.of("in-1"), TrackId.of("t-2"), T + 2_000, null, 0);

    try (Context.CancellableContext context = Context.current().withCancellation()) {
      Iterator<Incident> live = context.call(() -> staff.watchIncidents(WatchIncidentsRequest.newBuilder()
          .setSinceMs(T + 1_500).setFollow(true).build()));
      Incident history = live.next();
      String unpaid = settle("decline-c-9", new LineItem(TestLayouts.JUICE, 1, usd(2_999)));
      Incident next = live.next();
      log.tailgating(GateId.of("in-1"), TrackId.of("t-3"), T + 90_000, null, 0);
      Incident third = live.next();

      assertThat(history.getTrackId()).isEqualTo("t-2");
      assertThat(next.getKind()).isEqualTo(IncidentKind.UNPAID_EXIT);
      assertThat(next.getVisitId()).isEqualTo(unpaid);
      assertThat(third.getTrackId()).isEqualTo("t-3");
      assertThat(third.getDescription()).contains("while no party was being admitted");
    }
  }

  @Test
  void badRequestsAndRolesOtherThanStaffAreRefused() {
    StatusRuntimeException negative = catchThrowableOfType(StatusRuntimeException.class,
        () -> staff.watchIncidents(WatchIncidentsRequest.newBuilder().setSinceMs(-1).build()).hasNext());
    StatusRuntimeException asReviewer = catchThrowableOfType(StatusRuntimeException.class,
        () -> reviewer.watchIncidents(WatchIncidentsRequest.getDefaultInstance()).hasNext());

    assertThat(negative.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(asReviewer.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
  }

  private List<Incident> list(WatchIncidentsRequest request) {
    List<Incident> all = new ArrayList<>();
    staff.watchIncidents(request).forEachRemaining(all::add);
    return all;
  }

  private MeterRegistry registry() {
    return injector.getInstance(MeterRegistry.class);
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
    return Money.ofMinor(minor, "USD");
  }
}
