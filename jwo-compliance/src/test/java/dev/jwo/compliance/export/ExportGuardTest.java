package dev.jwo.compliance.export;

import static dev.jwo.compliance.ComplianceFixture.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.PartyRoster;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** R8: no sale and no unlawful disclosure; every export attempt recorded. */
class ExportGuardTest {
  private final ComplianceFixture f = new ComplianceFixture("US-IL");
  private final ExportGuard exports = f.get(ExportGuard.class);

  private ExportDecision export(Set<DataCategory> categories, Purpose purpose, String reference) {
    return exports.check(new ExportRequest(categories, purpose, "acme-analytics", "cred:alice", reference, T));
  }

  @Test
  void anExportOfBiometricDataForMarketingIsRefusedAndRecorded() {
    ExportDecision decision = export(Set.of(DataCategory.FACE_GEOMETRY), Purpose.MARKETING, null);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.rule()).isEqualTo("740 ILCS 14/15(d)");
    AuditRecord record = f.get(AuditChain.class).records().get(f.get(AuditChain.class).records().size() - 1);
    assertThat(record.type()).isEqualTo(AuditType.DISCLOSURE_REFUSED);
    assertThat(record.hash()).isEqualTo(decision.auditHash());
    assertThat(record.detail("recipient")).isEqualTo("acme-analytics");
    assertThat(record.detail("purpose")).isEqualTo("marketing");
    assertThat(record.subject()).isEqualTo("cred:alice");
  }

  @Test
  void biometricDataIsNeverSoldEvenMixedWithOtherData() {
    ExportDecision decision = export(Set.of(DataCategory.PURCHASE, DataCategory.FACE_GEOMETRY), Purpose.SALE, null);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.rule()).isEqualTo("740 ILCS 14/15(c)");
  }

  @Test
  void biometricDataLeavesToCompleteAPaymentOrUnderARecordedLegalOrderOnly() {
    assertThat(export(Set.of(DataCategory.FACE_GEOMETRY), Purpose.PAYMENT, null).allowed()).isTrue();
    assertThat(export(Set.of(DataCategory.FACE_GEOMETRY), Purpose.LEGAL_ORDER, null).allowed()).isFalse();
    ExportDecision ordered = export(Set.of(DataCategory.FACE_GEOMETRY), Purpose.LEGAL_ORDER, "Subpoena 24-SP-118");
    assertThat(ordered.allowed()).isTrue();
    assertThat(export(Set.of(DataCategory.FACE_GEOMETRY), Purpose.MODEL_TRAINING, null).allowed()).isFalse();
    assertThat(export(Set.of(DataCategory.FACE_GEOMETRY), Purpose.ANALYTICS, null).allowed()).isFalse();
    assertThat(f.get(AuditChain.class).records()).extracting(AuditRecord::type).containsExactly(
        AuditType.DISCLOSURE, AuditType.DISCLOSURE_REFUSED, AuditType.DISCLOSURE, AuditType.DISCLOSURE_REFUSED,
        AuditType.DISCLOSURE_REFUSED);
    assertThat(f.get(AuditChain.class).records().get(2).detail("legal_order_reference"))
        .isEqualTo("Subpoena 24-SP-118");
  }

  /**
   * R8, 740 ILCS 14/15(c)-(d), companions: a party member's own release covers their use in the store, not any
   * disclosure; their face leaves by no declared channel, is never sold, and each attempt is recorded under their
   * own subject, not the payer's.
   */
  @Test
  void aCompanionsOwnReleaseLetsTheirFaceOutByNoChannelAndEachAttemptIsRecordedUnderThem() {
    f.sign("c-alice", T);
    f.sign("c-kid", T);
    f.get(PartyRoster.class).join(ComplianceFixture.pseudonym("c-alice"), ComplianceFixture.pseudonym("c-kid"),
        Channel.APP, T);
    String kid = ComplianceFixture.pseudonym("c-kid");

    for (ExportChannel channel : ExportChannels.DEFAULTS.byRecipient().values()) {
      assertThat(exports.check(channel.recipient(), Set.of(DataCategory.FACE_GEOMETRY), kid, "v-1/capture", T)
          .allowed()).as(channel.recipient()).isFalse();
    }
    ExportDecision sold = exports.check(new ExportRequest(Set.of(DataCategory.FACE_GEOMETRY), Purpose.SALE,
        "acme-data", kid, null, T));

    assertThat(sold.allowed()).isFalse();
    assertThat(sold.rule()).isEqualTo("740 ILCS 14/15(c)");
    assertThat(f.get(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.DISCLOSURE || r.type() == AuditType.DISCLOSURE_REFUSED)
        .hasSize(ExportChannels.DEFAULTS.byRecipient().size() + 1)
        .allSatisfy(r -> {
          assertThat(r.type()).isEqualTo(AuditType.DISCLOSURE_REFUSED);
          assertThat(r.subject()).isEqualTo(kid);
        });
  }

  /**
   * R8, 740 ILCS 14/15(d)(2): biometric data may leave to complete a financial transaction the person asked for, so
   * only the payer's own, never a companion's in the payer's party, a party's shared data or data about many people.
   */
  @Test
  void biometricDataLeavesForAPaymentOnlyAboutThePartysPayer() {
    f.sign("c-alice", T);
    f.sign("c-kid", T);
    String alice = ComplianceFixture.pseudonym("c-alice");
    String kid = ComplianceFixture.pseudonym("c-kid");
    f.get(PartyRoster.class).join(alice, kid, Channel.APP, T);

    ExportDecision payers = paymentOfFace(alice, T + 1);
    ExportDecision companions = paymentOfFace(kid, T + 1);
    ExportDecision shared = paymentOfFace(PartyRoster.SHARED_PREFIX + "v-1", T + 1);
    ExportDecision many = paymentOfFace("", T + 1);
    f.get(PartyRoster.class).leave(alice, kid, Channel.APP, T + 5);
    ExportDecision kidPayingLater = paymentOfFace(kid, T + 6);

    assertThat(payers.allowed()).isTrue();
    assertThat(companions.allowed()).isFalse();
    assertThat(companions.reason()).contains("companion");
    assertThat(companions.rule()).contains("jwo policy R8");
    assertThat(shared.allowed()).isFalse();
    assertThat(many.allowed()).isFalse();
    assertThat(kidPayingLater.allowed()).as("once out of the party the kid pays as a payer").isTrue();
    assertThat(f.get(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.DISCLOSURE_REFUSED)
        .extracting(AuditRecord::subject).containsExactly(kid, PartyRoster.SHARED_PREFIX + "v-1", "");
  }

  private ExportDecision paymentOfFace(String subject, long ts) {
    return exports.check(new ExportRequest(Set.of(DataCategory.FACE_GEOMETRY), Purpose.PAYMENT,
        ExportChannels.PAYMENT_PROVIDER.recipient(), subject, null, ts));
  }

  /** R8, 740 ILCS 14/15(c)-(d), companions: a member without a release is no less protected from disclosure. */
  @Test
  void aCompanionWithoutAReleaseHasNoFaceDisclosedForAnyPurposeButTheLawsAndIsRecordedUnderThem() {
    f.sign("c-alice", T);
    String kid = ComplianceFixture.pseudonym("c-kid");

    for (Purpose purpose : List.of(Purpose.SALE, Purpose.MARKETING, Purpose.ANALYTICS, Purpose.MODEL_TRAINING,
        Purpose.LEGAL_ORDER)) {
      assertThat(exports.check(new ExportRequest(Set.of(DataCategory.FACE_GEOMETRY), purpose, "acme-data", kid,
          null, T)).allowed()).as(purpose.wireName()).isFalse();
    }
    ExportDecision toThePayer = exports.check(new ExportRequest(Set.of(DataCategory.FACE_GEOMETRY),
        Purpose.SUBJECT_ACCESS, "payer-app", kid, null, T));

    assertThat(toThePayer.allowed()).as("the kid's data goes to the kid, not to whoever paid").isFalse();
    assertThat(f.get(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.DISCLOSURE || r.type() == AuditType.DISCLOSURE_REFUSED)
        .hasSize(6).allSatisfy(r -> assertThat(r.subject()).isEqualTo(kid));
  }

  @Test
  void otherPersonalDataServesTheStoreButIsNotSoldOrUsedForMarketing() {
    assertThat(export(Set.of(DataCategory.PURCHASE), Purpose.PAYMENT, null).allowed()).isTrue();
    assertThat(export(Set.of(DataCategory.PURCHASE), Purpose.SALE, null).allowed()).isFalse();
    assertThat(export(Set.of(DataCategory.LOCATION_TRACK), Purpose.MARKETING, null).allowed()).isFalse();
  }

  @Test
  void personalDataLeavesOnlyByADeclaredChannelCarryingNoMoreThanItDeclares() {
    ExportDecision payment = exports.check(ExportChannels.PAYMENT_PROVIDER.recipient(),
        Set.of(DataCategory.PAYMENT_TOKEN), "cred:alice", "v-1", T);
    ExportDecision faceToPayments = exports.check(ExportChannels.PAYMENT_PROVIDER.recipient(),
        Set.of(DataCategory.PAYMENT_TOKEN, DataCategory.FACE_GEOMETRY), "cred:alice", "v-1", T);
    ExportDecision rawCredentialOnAReceipt = exports.check(ExportChannels.RECEIPTS.recipient(),
        Set.of(DataCategory.PURCHASE, DataCategory.PAYMENT_TOKEN), "cred:alice", "v-1", T);
    ExportDecision undeclared = exports.check("acme-analytics", Set.of(DataCategory.PURCHASE), "", "daily", T);

    assertThat(payment.allowed()).isTrue();
    assertThat(faceToPayments.allowed()).isFalse();
    assertThat(faceToPayments.reason()).contains("may not carry face_geometry");
    assertThat(rawCredentialOnAReceipt.allowed()).isFalse();
    assertThat(rawCredentialOnAReceipt.reason()).contains("may not carry payment_token");
    assertThat(undeclared.allowed()).isFalse();
    assertThat(undeclared.reason()).contains("no export channel to 'acme-analytics' is declared");
    assertThat(f.get(AuditChain.class).records()).extracting(AuditRecord::type).containsExactly(
        AuditType.DISCLOSURE, AuditType.DISCLOSURE_REFUSED, AuditType.DISCLOSURE_REFUSED,
        AuditType.DISCLOSURE_REFUSED);
    assertThat(f.get(AuditChain.class).records().get(1).detail("rule")).contains("GDPR Art. 5(1)(c)");
  }

  @Test
  void aRequiredExportThatIsRefusedThrowsWithTheReasonAndItsAuditRecord() {
    ComplianceException refused = catchThrowableOfType(ComplianceException.class, () -> exports.require(
        ExportChannels.RECEIPTS.recipient(), Set.of(DataCategory.FACE_GEOMETRY), "cred:alice", "v-1", T));

    assertThat(refused.kind()).isEqualTo(ComplianceException.Kind.REFUSED);
    assertThat(refused.getMessage()).contains("face_geometry to receipts").contains("may not carry")
        .contains(f.get(AuditChain.class).headHash());
  }
}
