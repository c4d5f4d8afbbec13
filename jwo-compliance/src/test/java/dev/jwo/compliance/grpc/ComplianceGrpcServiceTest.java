package dev.jwo.compliance.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.v1.Channel;
import dev.jwo.compliance.v1.ComplianceServiceGrpc;
import dev.jwo.compliance.v1.ConsentReceipt;
import dev.jwo.compliance.v1.DeletionReceipt;
import dev.jwo.compliance.v1.Disclosure;
import dev.jwo.compliance.v1.DocumentKind;
import dev.jwo.compliance.v1.ExposureReport;
import dev.jwo.compliance.v1.GetDisclosureRequest;
import dev.jwo.compliance.v1.GetExposureReportRequest;
import dev.jwo.compliance.v1.GetPublicDocumentRequest;
import dev.jwo.compliance.v1.JoinPartyRequest;
import dev.jwo.compliance.v1.Modality;
import dev.jwo.compliance.v1.PlaceLegalHoldRequest;
import dev.jwo.compliance.v1.PublicDocument;
import dev.jwo.compliance.v1.RecordConsentRequest;
import dev.jwo.compliance.v1.SubjectAccessResponse;
import dev.jwo.compliance.v1.SubjectRequest;
import dev.jwo.compliance.v1.VerifyAuditChainRequest;
import dev.jwo.compliance.v1.WithdrawConsentRequest;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ComplianceService over in-process gRPC with real stubs, wired by Guice on the core. */
class ComplianceGrpcServiceTest {
  static final long NOW = ComplianceFixture.T;

  private Injector injector;
  private JwoGrpcServer server;
  private ManagedChannel channel;
  private dev.jwo.core.security.TokenIssuer callers = dev.jwo.core.security.TokenIssuer.withNewKey(
      "unset", Clock.systemUTC());

  private ComplianceServiceGrpc.ComplianceServiceBlockingStub start(String jurisdiction) {
    return start(ComplianceFixture.store(jurisdiction));
  }

  private ComplianceServiceGrpc.ComplianceServiceBlockingStub start(dev.jwo.core.StoreLayout layout) {
    String name = InProcessServerBuilder.generateName();
    callers = dev.jwo.core.security.TokenIssuer.withNewKey(
        layout.storeId().value(), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    injector = Guice.createInjector(new CoreModule(layout), new ComplianceModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), dev.jwo.compliance.keys.SubjectKey.class)
                .setBinding().toInstance(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY);
            OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
                .toInstance(GrpcServerSettings.inProcess(name));
            OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding()
                .toInstance(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
            OptionalBinder.newOptionalBinder(binder(), dev.jwo.core.security.CallerAuthentication.class)
                .setBinding().toInstance(callers.authentication());
          }
        });
    server = injector.getInstance(JwoGrpcServer.class).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return ComplianceServiceGrpc.newBlockingStub(callers.bearer(
        dev.jwo.core.security.Role.COMPLIANCE_OFFICER, "officer-1").on(channel));
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdown(Duration.ofSeconds(5));
    }
  }

  private static RecordConsentRequest.Builder consent(Disclosure d) {
    return RecordConsentRequest.newBuilder().setCredential("c-alice").setDisclosureVersion(d.getVersion())
        .setDisclosureSha256(d.getSha256()).setChannel(Channel.APP).setSignatureMethod("app-tap-to-sign")
        .setAttestation("app 4.2");
  }

  private boolean faceAllowed(long ts) {
    return injector.getInstance(ComplianceGuard.class).check(new DataUse(DataCategory.FACE_GEOMETRY,
        Purpose.CHECKOUT_TRACKING, ComplianceFixture.admission("c-alice", NOW, null), ts)).allowed();
  }

  @Test
  void anAppShowsTheDisclosureRecordsTheReleaseAndWithdrawsIt() {
    var stub = start("US-IL");

    Disclosure d = stub.getDisclosure(GetDisclosureRequest.getDefaultInstance());
    assertThat(d.getVersion()).isEqualTo("bio-2026-01");
    assertThat(d.getModalitiesList()).containsExactly(Modality.FACE);
    assertThat(d.getHtml()).contains("<h2>Length of term</h2>");
    assertThat(faceAllowed(NOW)).isFalse();

    ConsentReceipt receipt = stub.recordConsent(consent(d).build());

    assertThat(receipt.getSubject()).isEqualTo(ComplianceFixture.pseudonym("c-alice"));
    assertThat(receipt.getValidUntilMs()).isEqualTo(NOW + d.getTermMs());
    assertThat(faceAllowed(NOW)).isTrue();

    var withdrawn = stub.withdrawConsent(WithdrawConsentRequest.newBuilder().setCredential("c-alice")
        .setChannel(Channel.APP).build());
    assertThat(withdrawn.getWithdrawnAtMs()).isEqualTo(NOW);
    assertThat(faceAllowed(NOW)).isFalse();
  }

  @Test
  void consentErrorsSayWhatToDo() {
    var stub = start("US-IL");
    Disclosure d = stub.getDisclosure(GetDisclosureRequest.getDefaultInstance());

    assertStatus(() -> stub.recordConsent(consent(d).setCredential("").build()), Status.Code.INVALID_ARGUMENT,
        "credential is required");
    assertStatus(() -> stub.recordConsent(consent(d).setDisclosureSha256("ab").build()),
        Status.Code.FAILED_PRECONDITION, "fetch it with GetDisclosure");
    assertStatus(() -> stub.recordConsent(consent(d).setDisclosureVersion("bio-1999").build()), Status.Code.NOT_FOUND,
        "bio-1999");
    assertStatus(() -> stub.recordConsent(consent(d).setChannel(Channel.CHANNEL_UNSPECIFIED).build()),
        Status.Code.INVALID_ARGUMENT, "channel");
    assertStatus(() -> stub.recordConsent(consent(d).addModalities(Modality.VOICE).build()),
        Status.Code.INVALID_ARGUMENT, "covers only");
  }

  @Test
  void theServerDatesAReleaseAndRefusesATimeTheClientSupplies() {
    var stub = start("US-IL");
    Disclosure d = stub.getDisclosure(GetDisclosureRequest.getDefaultInstance());

    @SuppressWarnings("deprecation")
    RecordConsentRequest backdated = consent(d).setSignedAtMs(NOW - 86_400_000L).build();
    assertStatus(() -> stub.recordConsent(backdated), Status.Code.INVALID_ARGUMENT, "cannot be backdated");
    assertStatus(() -> stub.recordConsent(consent(d).setAttestation("").build()), Status.Code.INVALID_ARGUMENT,
        "attestation is required");
    assertThat(faceAllowed(NOW)).isFalse();

    stub.recordConsent(consent(d).build());
    assertThat(injector.getInstance(dev.jwo.compliance.consent.ConsentLedger.class)
        .consents(ComplianceFixture.pseudonym("c-alice"))).singleElement()
        .satisfies(c -> assertThat(c.signedTs()).isEqualTo(NOW));
  }

  @Test
  void aCompanionSignsInToThePartyAndSignsTheirOwnRelease() {
    var stub = start("US-IL");
    Disclosure d = stub.getDisclosure(GetDisclosureRequest.getDefaultInstance());
    stub.recordConsent(consent(d).build());
    var family = new dev.jwo.core.visit.Admission(
        dev.jwo.core.visit.Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), NOW), NOW,
        dev.jwo.core.GateId.of("in-1"), dev.jwo.core.Credential.of("c-alice"), 2, null);
    ComplianceGuard guard = injector.getInstance(ComplianceGuard.class);

    var joined = stub.joinParty(JoinPartyRequest.newBuilder().setCredential("c-kid").setPayerCredential("c-alice")
        .setChannel(Channel.APP).build());
    assertThat(joined.getMember()).isEqualTo(ComplianceFixture.pseudonym("c-kid"));
    assertThat(joined.getMembers()).isEqualTo(1);
    assertThat(guard.check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.CHECKOUT_TRACKING, family, NOW))
        .allowed()).as("the payer's release does not cover the companion").isFalse();

    stub.recordConsent(consent(d).setCredential("c-kid").build());
    assertThat(guard.check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.CHECKOUT_TRACKING, family, NOW))
        .allowed()).isTrue();
    assertStatus(() -> stub.joinParty(JoinPartyRequest.newBuilder().setCredential("c-kid").setChannel(Channel.APP)
        .build()), Status.Code.INVALID_ARGUMENT, "payer_credential is required");
  }

  @Test
  void aPortlandStoreRefusesAReleaseForFaces() {
    var stub = start(ComplianceFixture.store("US-OR-PDX", dev.jwo.core.FeatureKind.CLOTHING_COLOR));
    Disclosure d = stub.getDisclosure(GetDisclosureRequest.getDefaultInstance());

    assertStatus(() -> stub.recordConsent(consent(d).build()), Status.Code.FAILED_PRECONDITION,
        "Portland City Code 34.10.020");
  }

  @Test
  void publicDocumentsAreServedWhereTheLawAsksForThem() {
    var stub = start("US-NY-NYC");

    PublicDocument sign = stub.getPublicDocument(GetPublicDocumentRequest.newBuilder()
        .setKind(DocumentKind.NYC_ENTRANCE_SIGN).build());
    assertThat(sign.getMarkdown()).contains("Biometric Identifier Information Collected at This Location");
    assertThat(sign.getVersion()).isEqualTo("1");
    assertThat(stub.getPublicDocument(GetPublicDocumentRequest.newBuilder().setKind(DocumentKind.RETENTION_POLICY)
        .build()).getHtml()).contains("<h1>");
    assertStatus(() -> stub.getPublicDocument(GetPublicDocumentRequest.newBuilder()
        .setKind(DocumentKind.CA_NOTICE_AT_COLLECTION).build()), Status.Code.NOT_FOUND, "nyc_entrance_sign");
    assertStatus(() -> stub.getPublicDocument(GetPublicDocumentRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT, "kind is required");
  }

  @Test
  void subjectAccessDeletionHoldsVerificationAndExposureWorkEndToEnd() {
    var stub = start("US-IL");
    Disclosure d = stub.getDisclosure(GetDisclosureRequest.getDefaultInstance());
    stub.recordConsent(consent(d).build());

    SubjectAccessResponse access = stub.subjectAccess(SubjectRequest.newBuilder().setCredential("c-alice").build());
    assertThat(access.getConsents()).isEqualTo(1);
    assertThat(access.getMarkdown()).contains("bio-2026-01").doesNotContain("c-alice");

    assertStatus(() -> stub.placeLegalHold(PlaceLegalHoldRequest.newBuilder().setCredential("c-alice")
        .setOrder(PlaceLegalHoldRequest.Order.SUBPOENA).setAuthority("N.D. Ill.").build()),
        Status.Code.INVALID_ARGUMENT, "reference");
    stub.placeLegalHold(PlaceLegalHoldRequest.newBuilder().setCredential("c-alice")
        .setOrder(PlaceLegalHoldRequest.Order.SUBPOENA).setReference("1:23-cv-15634").setAuthority("N.D. Ill.")
        .build());
    assertStatus(() -> stub.deleteSubjectData(SubjectRequest.newBuilder().setCredential("c-alice")
        .setChannel(Channel.APP).build()), Status.Code.FAILED_PRECONDITION, "1:23-cv-15634");

    DeletionReceipt deleted = stub.deleteSubjectData(SubjectRequest.newBuilder().setCredential("c-bob")
        .setChannel(Channel.BACK_OFFICE).build());
    assertThat(deleted.getAuditHash()).hasSize(64);
    assertThat(deleted.getNotReachedList()).as("deletion says which copies it cannot reach")
        .anySatisfy(copy -> assertThat(copy).startsWith("backups"))
        .anySatisfy(copy -> assertThat(copy).contains("clothing colour"));

    var verification = stub.verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
    assertThat(verification.getValid()).isTrue();
    assertThat(verification.getFirstBadPosition()).isEqualTo(-1);
    assertThat(verification.getHeadHash()).isEqualTo(injector.getInstance(AuditChain.class).headHash());

    ExposureReport exposure = stub.getExposureReport(GetExposureReportRequest.getDefaultInstance());
    assertThat(exposure.getJurisdiction()).isEqualTo("US-IL");
    assertThat(exposure.getLinesList()).singleElement()
        .satisfies(l -> assertThat(l.getCitation()).contains("740 ILCS 14/20"));
    assertThat(exposure.getTotalNegligentMinorUsd()).isZero();
  }

  @Test
  void everyRecordACallWritesNamesTheCallerAndRolesAreEnforced() {
    var officer = start("US-IL");
    Disclosure d = officer.getDisclosure(GetDisclosureRequest.getDefaultInstance());
    var alicesApp = ComplianceServiceGrpc.newBlockingStub(
        callers.shopper("alices-phone", dev.jwo.core.Credential.of("c-alice")).on(channel));
    var gateway = ComplianceServiceGrpc.newBlockingStub(
        callers.as(channel, dev.jwo.core.security.Role.SENSOR_GATEWAY));
    long before = injector.getInstance(AuditChain.class).size();

    alicesApp.recordConsent(consent(d).build());
    assertStatus(() -> alicesApp.recordConsent(consent(d).setCredential("c-bob").build()),
        Status.Code.PERMISSION_DENIED, "only for its own party");
    assertStatus(() -> gateway.placeLegalHold(PlaceLegalHoldRequest.newBuilder().setCredential("c-alice")
            .setOrder(PlaceLegalHoldRequest.Order.SUBPOENA).setReference("FAKE-123").setAuthority("x").build()),
        Status.Code.PERMISSION_DENIED, "open to compliance-officer");
    assertStatus(() -> alicesApp.deleteSubjectData(SubjectRequest.newBuilder().setCredential("c-alice")
        .setChannel(Channel.APP).build()), Status.Code.PERMISSION_DENIED, "shopper-app may not call");
    officer.deleteSubjectData(SubjectRequest.newBuilder().setCredential("c-bob").setChannel(Channel.BACK_OFFICE)
        .build());

    var written = injector.getInstance(AuditChain.class).records().subList((int) before,
        (int) injector.getInstance(AuditChain.class).size());
    assertThat(written).isNotEmpty().allSatisfy(r -> assertThat(r.detail(AuditChain.CALLER)).isNotEmpty());
    assertThat(written).extracting(r -> r.detail(AuditChain.CALLER))
        .contains("shopper-app/alices-phone", "compliance-officer/officer-1");
  }

  @Test
  void aLegalHoldIsReleasedOnlyWithItsReferenceAndTheReleaseIsAudited() {
    var officer = start("US-IL");
    officer.placeLegalHold(PlaceLegalHoldRequest.newBuilder().setCredential("c-alice")
        .setOrder(PlaceLegalHoldRequest.Order.SUBPOENA).setReference("1:23-cv-15634").setAuthority("N.D. Ill.")
        .build());

    assertStatus(() -> officer.releaseLegalHold(dev.jwo.compliance.v1.ReleaseLegalHoldRequest.newBuilder()
            .setCredential("c-alice").setReference("FAKE-123").setReleaseReference("none").build()),
        Status.Code.FAILED_PRECONDITION, "another reference");
    assertStatus(() -> officer.releaseLegalHold(dev.jwo.compliance.v1.ReleaseLegalHoldRequest.newBuilder()
            .setCredential("c-alice").setReference("1:23-cv-15634").build()),
        Status.Code.INVALID_ARGUMENT, "release_reference");
    assertStatus(() -> officer.deleteSubjectData(SubjectRequest.newBuilder().setCredential("c-alice")
        .setChannel(Channel.BACK_OFFICE).build()), Status.Code.FAILED_PRECONDITION, "1:23-cv-15634");

    var released = officer.releaseLegalHold(dev.jwo.compliance.v1.ReleaseLegalHoldRequest.newBuilder()
        .setCredential("c-alice").setReference("1:23-cv-15634")
        .setReleaseReference("order of dismissal 2026-03-02").build());

    assertThat(released.getAuditHash()).isEqualTo(injector.getInstance(AuditChain.class).headHash());
    var record = injector.getInstance(AuditChain.class).records().stream()
        .filter(r -> r.type() == dev.jwo.compliance.audit.AuditType.LEGAL_HOLD_RELEASED).findFirst().orElseThrow();
    assertThat(record.details()).containsEntry("reference", "1:23-cv-15634")
        .containsEntry("reason", "order of dismissal 2026-03-02")
        .containsEntry(AuditChain.CALLER, "compliance-officer/officer-1");
    assertThat(officer.deleteSubjectData(SubjectRequest.newBuilder().setCredential("c-alice")
        .setChannel(Channel.BACK_OFFICE).build()).getSubject()).isEqualTo(released.getSubject());
    assertStatus(() -> officer.releaseLegalHold(dev.jwo.compliance.v1.ReleaseLegalHoldRequest.newBuilder()
            .setCredential("c-alice").setReference("1:23-cv-15634").setReleaseReference("again").build()),
        Status.Code.NOT_FOUND, "no legal hold");
  }

  private static void assertStatus(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getMessage()).contains(message);
    });
  }

}
