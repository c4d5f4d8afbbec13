package dev.jwo.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.ReceiptVersion;
import dev.jwo.payments.review.Disputes;
import dev.jwo.payments.review.ReviewDesk;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.LineDecision;
import dev.jwo.payments.v1.PaymentState;
import dev.jwo.payments.v1.ResolveReviewRequest;
import dev.jwo.payments.v1.StoredReviewCase;
import dev.jwo.server.StoreModules;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.inject.StorageModule;
import dev.jwo.testing.scenario.StoreScript;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review cases, leases, receipt versions, refunds and payment states live in the store's storage: a server
 * restarted on the embedded database or on PostgreSQL (127.0.0.1:5432, user postgres; the test fails, not skips,
 * without it) finds them as they were and carries on. The card processor outlives the restarts, as a real one
 * would.
 */
class DurableReviewAndRefundTest {
  static final long T = 1_764_410_400_000L;
  private static final java.util.Map<String, Long> ENTRY_TIMES = new java.util.HashMap<>();
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  private final StoreLayout layout = StoreScript.smallStore("ops-001", "US-IL");
  private final SimulatedCardProcessor processor = new SimulatedCardProcessor();
  /** The store's keys, the same on every start, as a key-management service would give them. */
  private final dev.jwo.compliance.keys.StoreKeys keys = new dev.jwo.compliance.keys.StoreKeys(
      dev.jwo.compliance.vault.VaultMasterKey.random(), dev.jwo.compliance.keys.SubjectKey.of(random32()));

  private static byte[] random32() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  @Test
  void embeddedDatabaseKeepsReviewsAndRefundsAcrossRestarts(@TempDir Path dir) throws Exception {
    carryOnAcrossRestarts(StorageSettings.embedded(dir.resolve("data")));
  }

  @Test
  void postgresqlKeepsReviewsAndRefundsAcrossRestarts() throws Exception {
    String database = "jwo_ops_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    sql("CREATE DATABASE " + database);
    try {
      carryOnAcrossRestarts(StorageSettings.postgres(POSTGRES + database, "postgres", "", 2));
    } finally {
      sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private void carryOnAcrossRestarts(StorageSettings storage) throws Exception {
    Money water = layout.products().get(0).price();
    VisitId held;
    VisitId charged;
    Injector first = start(storage);
    try {
      held = settle(first, "c-held", ReceiptStatus.REVIEW, new LineItem(layout.products().get(0).sku(), 2, water));
      charged = settle(first, "c-paid", ReceiptStatus.CHARGED, new LineItem(layout.products().get(0).sku(), 3, water));
      first.getInstance(ReviewDesk.class).claim(held, "alice", Duration.ofMinutes(30));
    } finally {
      stop(first);
    }

    Injector second = start(storage);
    String lease;
    try {
      ReviewDesk desk = second.getInstance(ReviewDesk.class);
      assertThat(desk.open()).extracting(StoredReviewCase::getVisitId).containsExactly(held.value());
      lease = desk.get(held).orElseThrow().getLeaseId();
      assertThat(desk.get(held).orElseThrow().getClaimedBy()).isEqualTo("alice");
      desk.resolve(ResolveReviewRequest.newBuilder().setVisitId(held.value()).setReviewer("alice").setLeaseId(lease)
          .addDecisions(LineDecision.newBuilder().setLineIndex(0)
              .setChange(LineDecision.Change.newBuilder().setQuantity(1)))
          .build());
      Disputes.Contest contest = second.getInstance(Disputes.class)
          .contest(charged, 1, 0, 1, ContestReason.NOT_TAKEN, "");
      assertThat(contest.outcome()).isEqualTo(Disputes.Outcome.REFUNDED);
      idle(second);
    } finally {
      stop(second);
    }

    Injector third = start(storage);
    try {
      ReceiptBook book = third.getInstance(ReceiptBook.class);
      assertThat(book.history(held)).extracting(v -> v.receipt().status(), v -> v.receipt().total().minor())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(ReceiptStatus.REVIEW, 2 * water.minor()),
              org.assertj.core.groups.Tuple.tuple(ReceiptStatus.CHARGED, water.minor()));
      List<ReceiptVersion> paid = book.history(charged);
      assertThat(paid).extracting(v -> v.receipt().total().minor())
          .containsExactly(3 * water.minor(), 2 * water.minor());
      assertThat(paid.get(1).amendment()).contains("not taken");
      VisitPayments payments = third.getInstance(VisitPayments.class);
      assertThat(payments.stage(held)).contains(PaymentState.Stage.CAPTURED);
      assertThat(payments.refunds(charged)).singleElement().satisfies(r -> assertThat(r.amount()).isEqualTo(water));
      assertThat(third.getInstance(ReviewDesk.class).open()).isEmpty();
      assertThat(third.getInstance(ReviewDesk.class).get(held).orElseThrow().getResolvedBy()).isEqualTo("alice");
      assertThat(processor.ledger()).filteredOn(e -> e.operation() == SimulatedCardProcessor.Operation.CAPTURE)
          .extracting(e -> e.amount().minor()).containsExactlyInAnyOrder(3 * water.minor(), water.minor());
    } finally {
      stop(third);
    }
  }

  private Injector start(StorageSettings storage) {
    return Guice.createInjector(StoreModules.forStore(layout, new StorageModule(storage), binder -> {
      OptionalBinder.newOptionalBinder(binder, PaymentProvider.class).setBinding().toInstance(processor);
      OptionalBinder.newOptionalBinder(binder, dev.jwo.compliance.keys.StoreKeyProvider.class).setBinding()
          .toInstance(keys);
    }));
  }

  private static void stop(Injector injector) throws InterruptedException {
    idle(injector);
    injector.getInstance(VisitPayments.class).close();
    injector.getInstance(StoreStorage.class).close();
  }

  private static VisitId settle(Injector injector, String card, ReceiptStatus decision, LineItem... items)
      throws InterruptedException {
    EntryEvent entry = new EntryEvent(entryTs(card), GateId.of("in-1"), Credential.of(card), 1, null);
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    payments.onEvent(entry);
    payments.settle(new VisitOutcome(Admission.from(entry), decision, List.of(items), T + 60_000, T + 61_000,
        decision == ReceiptStatus.REVIEW ? List.of("two shoppers near the bin") : List.of()));
    idle(injector);
    return Admission.from(entry).visitId();
  }

  /** Each card enters at a time of its own (a visit is named by its gate and entry time), the same card always at the same. */
  private static synchronized long entryTs(String card) {
    return ENTRY_TIMES.computeIfAbsent(card, c -> T + ENTRY_TIMES.size());
  }

  private static void idle(Injector injector) throws InterruptedException {
    assertThat(injector.getInstance(VisitPayments.class).awaitIdle(Duration.ofSeconds(30))).isTrue();
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
