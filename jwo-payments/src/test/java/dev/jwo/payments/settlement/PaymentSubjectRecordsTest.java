package dev.jwo.payments.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.consent.SignatureEvidence;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.subject.SubjectAccessReport;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.security.PartyCheck;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.TestLayouts;
import dev.jwo.payments.inject.PaymentsModule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * R12 access, whole: what the person reads covers every category held about them, across modules, as wired in a
 * store. Alice paid for a visit with Bob in her party; both signed their own release.
 */
class PaymentSubjectRecordsTest {
  static final long T = 1_764_410_400_000L;
  static final String CARD = "tok_visa_4242424242424242";
  static final double[] FACE = {0.31415926, 0.27182818};

  private Injector store;
  private final Credential alice = Credential.of(CARD);
  private String aliceSubject = "";
  private String bob = "";
  private Admission admission;
  private TemplateRef face;

  @BeforeEach
  void aliceShopsWithBobAndContestsALine() throws Exception {
    store = Guice.createInjector(new CoreModule(TestLayouts.store()), new ComplianceModule(), new PaymentsModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding()
                .toInstance(Clock.fixed(Instant.ofEpochMilli(T + 120_000), ZoneOffset.UTC));
          }
        });
    aliceSubject = store.getInstance(Subjects.class).of(alice);
    bob = store.getInstance(Subjects.class).of(Credential.of("app-bob"));
    store.getInstance(VisitCompliance.class).ensurePublished(T - 60_000);
    Disclosure d = store.getInstance(DocumentLibrary.class).currentDisclosure().orElseThrow();
    for (String who : List.of(aliceSubject, bob)) {
      store.getInstance(ConsentLedger.class).record(who, d, d.modalities(),
          new SignatureEvidence("app-tap-to-sign", d.sha256(), "test app"), Channel.APP, T - 30_000);
    }
    store.getInstance(PartyRoster.class).join(aliceSubject, bob, Channel.APP, T - 10_000);

    VisitPayments payments = store.getInstance(VisitPayments.class);
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), alice, 2, "bio-2026-01");
    admission = Admission.from(entry);
    payments.onEvent(entry);
    face = store.getInstance(BiometricVault.class).keep(aliceSubject, admission.visitId().value(),
        DataCategory.FACE_GEOMETRY, FACE, T + 1_000);
    payments.settle(new VisitOutcome(admission, ReceiptStatus.CHARGED,
        List.of(new LineItem(TestLayouts.WATER, 2, Money.ofMinor(199, "USD"))), T + 60_000, T + 61_500, List.of()));
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    ReceiptBook book = store.getInstance(ReceiptBook.class);
    Receipt charged = book.receipt(admission.visitId()).orElseThrow();
    book.amend(new Receipt(charged.visitId(), charged.credential(), charged.status(),
        List.of(new LineItem(TestLayouts.WATER, 1, Money.ofMinor(199, "USD"))), Money.ofMinor(199, "USD"),
        charged.exitTs(), T + 90_000, List.of(), charged.paymentReference()), "one water contested and refunded");
    payments.refund(admission.visitId(), "d-1", Money.ofMinor(199, "USD")).get();
  }

  @AfterEach
  void close() {
    store.getInstance(VisitPayments.class).close();
  }

  private String section(String markdown, String title) {
    int start = markdown.indexOf("## " + title);
    assertThat(start).as("section %s", title).isNotNegative();
    int end = markdown.indexOf("\n## ", start + 3);
    return markdown.substring(start, end < 0 ? markdown.length() : end);
  }

  @Test
  void accessReturnsReleasesVisitsEveryReceiptVersionPaymentsDisputesTemplatesAndAudit() {
    SubjectAccessReport report = store.getInstance(SubjectRequests.class).access(aliceSubject, T + 120_000);
    String md = report.markdown();
    String visit = admission.visitId().value();

    assertThat(section(md, "Signed releases")).contains("bio-2026-01").contains("via app");
    assertThat(section(md, "Visits and times")).contains(visit)
        .contains("left the store at " + Instant.ofEpochMilli(T + 60_000));
    assertThat(section(md, "Purchases and receipts")).contains(visit + " receipt version 1: charged, 2 x 0001")
        .contains(visit + " receipt version 2 (one water contested and refunded): charged, 1 x 0001");
    assertThat(section(md, "Payments")).contains(visit + ": payment").contains("processor reference");
    assertThat(section(md, "Disputes and refunds")).contains("dispute d-1: refund of").contains("done");
    assertThat(section(md, "Biometric data held")).contains(face.item()).contains("not exported");
    assertThat(section(md, "Audit records about you")).contains("consent").contains("disclosure");
    assertThat(md).doesNotContain("42424242").doesNotContain("0.31415926").doesNotContain(CARD);

    AuditRecord export = store.getInstance(AuditChain.class).records().stream()
        .filter(r -> r.type() == AuditType.DISCLOSURE && r.detail("purpose").equals("subject_access"))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(export.detail("categories"))
        .isEqualTo("face_geometry,location_track,payment_token,purchase");
  }

  @Test
  void aCompanionReadsTheirOwnReleaseAndPartyButNotThePayersPurchases() {
    SubjectAccessReport report = store.getInstance(SubjectRequests.class).access(bob, T + 120_000);
    String md = report.markdown();

    assertThat(report.consents()).isEqualTo(1);
    assertThat(section(md, "Signed releases")).contains("bio-2026-01");
    assertThat(section(md, "Parties you joined")).contains("The party paid by " + aliceSubject);
    assertThat(section(md, "Purchases and receipts")).contains("None.");
    assertThat(section(md, "Payments")).contains("None.");
    assertThat(section(md, "Biometric data held")).contains("None.").doesNotContain(face.item());
    assertThat(section(md, "Audit records about you")).contains("party").doesNotContain("payment-provider");
  }

  @Test
  void onceHerCredentialIsErasedAliceStillReadsHerReceiptsAndPaymentsAndCanBeRefunded() throws Exception {
    VisitPayments payments = store.getInstance(VisitPayments.class);
    payments.onTimeAdvanced(T + 61_500 + PaymentSettings.CREDENTIAL_RETENTION.toMillis());
    assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
    Receipt erased = store.getInstance(ReceiptBook.class).receipt(admission.visitId()).orElseThrow();
    assertThat(erased.credential()).isEqualTo(Credential.erasedTo(aliceSubject));

    PartyCheck<GetReceiptRequest> own = ownParty(ReceiptServiceGrpc.getGetReceiptMethod().getFullMethodName());
    GetReceiptRequest hers = GetReceiptRequest.newBuilder().setVisitId(admission.visitId().value()).build();
    assertThat(own.concernsOnly(hers, alice)).as("her app, by her credential").isTrue();
    assertThat(own.concernsOnly(hers, Credential.of(aliceSubject))).as("a credential spelled like her subject")
        .isFalse();
    assertThat(own.concernsOnly(hers, Credential.of("app-bob"))).isFalse();

    assertThat(payments.refund(admission.visitId(), "d-2", Money.ofMinor(199, "USD")).get().status())
        .isEqualTo(dev.jwo.payments.v1.StoredRefund.Status.DONE);
    AuditRecord refund = store.getInstance(AuditChain.class).records().stream()
        .filter(r -> r.type() == AuditType.DISCLOSURE).reduce((a, b) -> b).orElseThrow();
    assertThat(refund.subject()).isEqualTo(aliceSubject);

    String md = store.getInstance(SubjectRequests.class).access(aliceSubject, T + 200_000).markdown();
    assertThat(section(md, "Purchases and receipts")).contains(admission.visitId().value() + " receipt version 2");
    assertThat(section(md, "Disputes and refunds")).contains("dispute d-2");
    assertThat(section(md, "Audit records about you")).contains("credential_erased");
  }

  @SuppressWarnings("unchecked")
  private <Q> PartyCheck<Q> ownParty(String method) {
    return (PartyCheck<Q>) store.getInstance(Key.get(new TypeLiteral<Set<PermissionTable>>() {})).stream()
        .filter(t -> t.names(method)).findFirst().orElseThrow().partyCheck(method).orElseThrow();
  }
}
