package dev.jwo.payments.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.audit.AuditCheckpoints;
import dev.jwo.compliance.keys.AuditKey;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.v1.PaymentState;
import dev.jwo.payments.v1.PaymentState.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * R8 on the payment path: every call to the payment provider passes the export guard first, carrying only the
 * payment credential, recorded in the audit chain under the shopper's pseudonym; a refusal sends nothing.
 */
class PaymentExportsTest {
  static final long T = 1_764_410_400_000L;
  static final dev.jwo.payments.EntryTimes ENTRIES = new dev.jwo.payments.EntryTimes(T);

  private final StoreLayout layout = TestLayouts.store();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final VisitPaymentsTest.ScriptedProvider provider = new VisitPaymentsTest.ScriptedProvider();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<VisitPayments> started = new ArrayList<>();

  private static final SubjectKey SUBJECT_KEY = SubjectKey.random();
  private static final AuditKey AUDIT_KEY = AuditKey.random();

  /** The audit chain kept in {@code storage}, under this test's keys. */
  static AuditChain audit(StoreStorage storage) {
    return new AuditChain(storage, new Subjects(storage, SUBJECT_KEY), AUDIT_KEY, AuditCheckpoints.inMemory());
  }

  /** The retention schedule (legal holds) of {@code layout}'s jurisdiction over {@code storage}. */
  static RetentionSchedule retention(StoreLayout layout, StoreStorage storage) {
    return new RetentionSchedule(storage, Policies.resolve(layout.jurisdiction()), ComplianceSettings.DEFAULTS,
        audit(storage));
  }

  /** The export guard of {@code layout}'s jurisdiction over {@code storage}'s audit chain. */
  static ExportGuard guard(StoreLayout layout, StoreStorage storage, ExportChannels channels) {
    AuditChain audit = audit(storage);
    return new ExportGuard(Policies.resolve(layout.jurisdiction()), audit, new SimpleMeterRegistry(), channels,
        new dev.jwo.compliance.consent.PartyRoster(storage, audit, new Subjects(storage, SUBJECT_KEY)));
  }

  @AfterEach
  void close() {
    started.forEach(VisitPayments::close);
  }

  @Test
  void everyProviderCallIsAnAllowedDisclosureOfThePaymentTokenOnly() throws Exception {
    VisitPayments payments = payments(ExportChannels.DEFAULTS);
    Admission paid = admit(payments, "tok_visa_4242424242424242");
    Admission empty = admit(payments, "tok_mc_5555555555554444");
    payments.settle(outcome(paid, new LineItem(TestLayouts.JUICE, 2, Money.ofMinor(2_999, "USD"))));
    payments.settle(outcome(empty));
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    assertThat(payments.refund(paid.visitId(), "d-1", Money.ofMinor(2_999, "USD")).get().status())
        .isEqualTo(dev.jwo.payments.v1.StoredRefund.Status.DONE);

    List<AuditRecord> disclosures = audit(storage).records().stream()
        .filter(r -> r.type() == AuditType.DISCLOSURE).toList();
    // authorize, increment (the cart outgrew the hold), capture, refund for one; authorize, void for the other.
    assertThat(provider.calls).hasSize(6);
    // Each call is covered by the decision for its step: admission, checkout, refund.
    String p = paid.visitId().value();
    String e = empty.visitId().value();
    assertThat(provider.calls).allSatisfy(call -> {
      String key = call.substring(call.indexOf(' ') + 1).replaceFirst(" .*", "");
      String step = key.endsWith("/authorize") || key.contains("/refund/") ? key
          : key.substring(0, key.indexOf('/')) + "/checkout";
      assertThat(disclosures).extracting(r -> r.detail("reference")).contains(step);
    });
    assertThat(disclosures).extracting(r -> r.detail("reference")).containsExactlyInAnyOrder(
        p + "/authorize", e + "/authorize", p + "/checkout", e + "/checkout", p + "/refund/d-1");
    assertThat(disclosures).allSatisfy(r -> {
      assertThat(r.detail("recipient")).isEqualTo("payment-provider");
      assertThat(r.detail("categories")).isEqualTo("payment_token");
      assertThat(r.detail("biometric")).isEqualTo("false");
    });
    assertThat(disclosures).extracting(AuditRecord::subject).containsOnly(
        audit(storage).subjectOf(paid.credential()), audit(storage).subjectOf(empty.credential()));
    // Whole card numbers, not fragments: four digits recur by chance in the records' hex hashes and keyed subjects.
    assertThat(audit(storage).records().toString())
        .doesNotContain("tok_").doesNotContain("4242424242424242").doesNotContain("5555555555554444");
  }

  @Test
  void aVisitHeldForReviewDisclosesNothingAtCheckout() throws Exception {
    VisitPayments payments = payments(ExportChannels.DEFAULTS);
    Admission held = admit(payments, "tok_visa_4242424242424242");
    payments.settle(new VisitOutcome(held, ReceiptStatus.REVIEW,
        List.of(new LineItem(TestLayouts.WATER, 1, Money.ofMinor(199, "USD"))), T + 60_000, T + 61_500, List.of()));
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();

    assertThat(provider.calls).hasSize(1);
    assertThat(audit(storage).records()).extracting(r -> r.detail("reference"))
        .containsExactly(held.visitId() + "/authorize");
  }

  @Test
  void aGuardThatRefusesSendsNothingAndFailsTheVisitWithTheReason() throws Exception {
    VisitPayments payments = payments(ExportChannels.of(List.of(ExportChannels.RECEIPTS)));
    Admission admission = admit(payments, "tok_visa_4242424242424242");

    assertThat(provider.calls).isEmpty();
    assertThat(provider.simulated.captures()).isEmpty();
    PaymentState state = PaymentState.parseFrom(
        storage.table(VisitPayments.TABLE).get(admission.visitId().value()).orElseThrow().value());
    assertThat(state.getStage()).isEqualTo(Stage.FAILED);
    assertThat(state.getFailure()).contains("authorize was not sent").contains("export guard refused")
        .contains("no export channel to 'payment-provider' is declared");
    AuditRecord refused = audit(storage).records().get(0);
    assertThat(refused.type()).isEqualTo(AuditType.DISCLOSURE_REFUSED);
    assertThat(refused.subject()).isEqualTo(audit(storage).subjectOf(admission.credential()));
    assertThat(state.getFailure()).contains(refused.hash());
  }

  private VisitPayments payments(ExportChannels channels) {
    VisitPayments payments = new VisitPayments(layout, provider, VisitPaymentsTest.SETTINGS,
        new ReceiptBook(storage, layout), storage, new SimpleMeterRegistry(), scheduler.clock, scheduler,
        guard(layout, storage, channels), audit(storage),
        retention(layout, storage), java.util.Set.of());
    started.add(payments);
    return payments;
  }

  private static Admission admit(VisitPayments payments, String credential) throws InterruptedException {
    EntryEvent entry = new EntryEvent(ENTRIES.of(credential), GateId.of("in-1"), Credential.of(credential), 1, null);
    payments.onEvent(entry);
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    return Admission.from(entry);
  }

  private static VisitOutcome outcome(Admission admission, LineItem... items) {
    return new VisitOutcome(admission, ReceiptStatus.CHARGED, List.of(items), T + 60_000, T + 61_500, List.of());
  }
}
