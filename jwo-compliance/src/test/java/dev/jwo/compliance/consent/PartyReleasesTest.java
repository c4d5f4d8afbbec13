package dev.jwo.compliance.consent;

import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static dev.jwo.compliance.ComplianceFixture.pseudonym;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.compliance.ComplianceException;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.visit.Admission;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 740 ILCS 14/15(b): no private entity may collect a person's biometric identifier unless it first informs "the
 * subject" and receives "a written release executed by the subject". The release is each person's own: a payer's
 * never covers a companion, an entry's consent field is not a release, and a release is dated when it is signed.
 */
class PartyReleasesTest {
  private final ComplianceFixture f = new ComplianceFixture("US-IL");

  private static Admission party(String payer, int size, long ts) {
    Credential c = Credential.of(payer);
    return new Admission(ComplianceFixture.visitOf(payer, ts), ts, GateId.of("in-1"), c, size, null);
  }

  private GuardDecision face(Admission who, long ts) {
    return f.get(ComplianceGuard.class).check(new DataUse(DataCategory.FACE_GEOMETRY, Purpose.CHECKOUT_TRACKING, who,
        ts));
  }

  @Test
  void aCompanionWhoDidNotSignInKeepsThePartysFacesOutEvenThoughThePayerSigned() {
    f.sign("c-payer", T);

    GuardDecision two = face(party("c-payer", 2, T), T + 1_000);

    assertThat(two.allowed()).isFalse();
    assertThat(two.rule()).isEqualTo("740 ILCS 14/15(b)");
    assertThat(two.reason()).contains("1 of this party of 2 did not sign in as members")
        .contains("position and clothing only");
    assertThat(face(party("c-payer", 1, T), T + 1_000).allowed()).as("the payer alone").isTrue();
  }

  @Test
  void aCompanionSignedInToThePartyIsNotCoveredByThePayersRelease() {
    f.sign("c-payer", T);
    f.get(PartyRoster.class).join(pseudonym("c-payer"), pseudonym("c-kid"), Channel.APP, T);

    GuardDecision decision = face(party("c-payer", 2, T), T + 1_000);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).contains("a member of the party holds no valid signed release");
  }

  @Test
  void everyMemberWithTheirOwnReleaseIsCoveredAndEachWithdrawsForThemselves() {
    f.sign("c-payer", T);
    f.get(PartyRoster.class).join(pseudonym("c-payer"), pseudonym("c-kid"), Channel.APP, T);
    f.sign("c-kid", T + 10);
    Admission family = party("c-payer", 2, T + 20);

    GuardDecision both = face(family, T + 1_000);
    assertThat(both.allowed()).isTrue();
    assertThat(both.reason()).contains("each person's own signed release");

    f.get(SubjectRequests.class).withdraw(pseudonym("c-kid"), Set.of(Modality.FACE), Channel.APP, T + 2_000);

    GuardDecision after = face(family, T + 2_000);
    assertThat(after.allowed()).isFalse();
    assertThat(after.reason()).contains("a member of the party withdrew their release");
    assertThat(f.get(ConsentLedger.class).validConsent(pseudonym("c-payer"), Modality.FACE, T + 2_000))
        .as("the payer's own release stands").isPresent();
  }

  @Test
  void aMemberWhoLeftThePartyNoLongerCountsAsOneOfItsPeople() {
    PartyRoster roster = f.get(PartyRoster.class);
    roster.join(pseudonym("c-payer"), pseudonym("c-kid"), Channel.APP, T);
    roster.leave(pseudonym("c-payer"), pseudonym("c-kid"), Channel.APP, T + 5);

    assertThat(roster.members(pseudonym("c-payer"), T + 1)).containsExactly(pseudonym("c-kid"));
    assertThat(roster.members(pseudonym("c-payer"), T + 5)).isEmpty();
    assertThat(roster.partiesOf(pseudonym("c-kid"))).containsExactly(pseudonym("c-payer"));
    assertThatThrownBy(() -> roster.join(pseudonym("c-payer"), pseudonym("c-payer"), Channel.APP, T))
        .isInstanceOf(ComplianceException.class);
  }

  @Test
  void anEntryNamingADisclosureIsNotARelease() {
    VisitCompliance visits = f.get(VisitCompliance.class);
    Admission entry = admission("c-walkin", T + 100, "bio-2026-01");

    visits.visitStarted(entry);

    assertThat(f.get(ConsentLedger.class).consents(pseudonym("c-walkin"))).isEmpty();
    assertThat(face(entry, T + 1_000).allowed()).isFalse();
    assertThat(visits.entryConsents().named()).isEqualTo(1);
    assertThat(visits.entryConsents().notSigned()).isEqualTo(1);
  }

  @Test
  void anEntryReferringToAReleaseSignedBeforeItIsCountedAsCovered() {
    f.sign("c-alice", T);
    VisitCompliance visits = f.get(VisitCompliance.class);

    visits.visitStarted(admission("c-alice", T + 100, "bio-2026-01"));

    assertThat(visits.entryConsents().covered()).isEqualTo(1);
    assertThat(f.get(ConsentLedger.class).consents(pseudonym("c-alice"))).hasSize(1);
  }

  @Test
  void aReleaseCannotBeBackdatedBeforeWhatTheLedgerHasAlreadyRecorded() {
    f.sign("c-alice", T + 5_000);

    assertThatThrownBy(() -> f.sign("c-bob", T + 1_000))
        .isInstanceOfSatisfying(ComplianceException.class,
            e -> assertThat(e.kind()).isEqualTo(ComplianceException.Kind.REFUSED))
        .hasMessageContaining("cannot be backdated");
    assertThat(f.get(ConsentLedger.class).consents(pseudonym("c-bob"))).isEmpty();
  }
}
