package dev.jwo.compliance.consent;

import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.pseudonym;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.internal.Canonical;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GDPR Art. 17, Cal. Civ. Code 1798.105: each person's releases and party links are kept in their own records, so
 * that their deletion request reaches them and nobody else's; what an earlier release kept in one stream for
 * everybody is moved there at start-up.
 */
class PersonalRecordsTest {
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final VaultMasterKey master = VaultMasterKey.random();

  private ComplianceFixture start() {
    return new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, storage, master);
  }

  private static Admission party(String payer, int size, long ts) {
    return new Admission(ComplianceFixture.visitOf(payer, ts), ts, GateId.of("in-1"), Credential.of(payer), size,
        null);
  }

  @Test
  void erasingRemovesTheSignersAttestationWithdrawsEverythingAndKeepsTheReleaseAsEvidence() {
    ComplianceFixture f = start();
    Consent kid = f.sign("c-kid", T);
    Consent payer = f.sign("c-payer", T + 1);
    ConsentLedger ledger = f.get(ConsentLedger.class);

    assertThat(ledger.erase(pseudonym("c-kid"), Channel.APP, T + 5_000)).isEqualTo(1);

    for (ConsentLedger reader : List.of(ledger, start().get(ConsentLedger.class))) {
      Consent kept = reader.consents(pseudonym("c-kid")).get(0);
      assertThat(kept.signature().attestation()).isEqualTo(ConsentLedger.ATTESTATION_ERASED);
      assertThat(kept.id()).isEqualTo(kid.id());
      assertThat(kept.signedTs()).isEqualTo(kid.signedTs());
      assertThat(reader.validConsent(pseudonym("c-kid"), Modality.FACE, T + 1_000))
          .as("collection before the request was covered").isPresent();
      assertThat(reader.validConsent(pseudonym("c-kid"), Modality.FACE, T + 5_000)).isEmpty();
      assertThat(reader.optedOut(pseudonym("c-kid"), Modality.FACE, T + 5_000)).isTrue();
      assertThat(reader.consents(pseudonym("c-payer"))).containsExactly(payer);
    }
    assertThat(storage.journal().read(ConsentLedger.PERSON_STREAMS + pseudonym("c-kid"), 0, 100))
        .noneMatch(e -> text(e.record()).contains(kid.signature().attestation()));
  }

  @Test
  void forgettingACompanionUnlinksThemFromEveryPartyAndSharedSubjectButNotThePayer() {
    ComplianceFixture f = start();
    PartyRoster roster = f.get(PartyRoster.class);
    roster.join(pseudonym("c-payer"), pseudonym("c-kid"), Channel.APP, T);
    roster.join(pseudonym("c-payer"), pseudonym("c-gran"), Channel.APP, T);
    String shared = roster.sharedSubject(party("c-payer", 3, T + 10), T + 10);

    assertThat(roster.forget(pseudonym("c-kid"))).isEqualTo(2);

    for (PartyRoster reader : List.of(roster, start().get(PartyRoster.class))) {
      assertThat(reader.members(pseudonym("c-payer"), T + 20)).containsExactly(pseudonym("c-gran"));
      assertThat(reader.partiesOf(pseudonym("c-kid"))).isEmpty();
      assertThat(reader.sharedSubjectsOf(pseudonym("c-kid"))).isEmpty();
      assertThat(reader.sharedPeople(shared)).containsExactly(pseudonym("c-payer"), pseudonym("c-gran"));
    }
    assertThat(storage.journal().read(PartyRoster.PERSON_STREAMS + pseudonym("c-kid"), 0, 100)).allSatisfy(
        e -> assertThat(text(e.record())).doesNotContain(pseudonym("c-payer")));
    assertThat(storage.journal().read(PartyRoster.PERSON_STREAMS + pseudonym("c-payer"), 0, 100)).allSatisfy(
        e -> assertThat(text(e.record())).doesNotContain(pseudonym("c-kid")));
  }

  @Test
  void recordsAnEarlierReleaseKeptInOneStreamMoveToEachPersonsOwnOnceEvenIfTheMoveWasInterrupted() {
    String kid = pseudonym("c-kid");
    String payer = pseudonym("c-payer");
    storage.journal().append(StreamAppend.atEnd(PartyRoster.STREAM,
        new JournalRecord("joined", Canonical.json(Map.of("payer", payer, "member", kid, "channel", "APP",
            "ts", T))),
        new JournalRecord("shared", Canonical.json(Map.of("subject", "party:v-1", "people", List.of(payer, kid),
            "ts", T + 1)))));
    storage.journal().append(StreamAppend.atEnd(ConsentLedger.STREAM,
        new JournalRecord("withdrawal", Canonical.json(Map.of("subject", kid, "modalities", List.of("FACE"),
            "channel", "APP", "ts", T)))));
    // An earlier start moved the roster's records and stopped before discarding them.
    storage.journal().appendAll(List.of(
        StreamAppend.of(PartyRoster.PERSON_STREAMS + kid, 0, record("joined", payer, kid, T),
            shared("party:v-1", kid, 1, T + 1)),
        StreamAppend.of(PartyRoster.PERSON_STREAMS + payer, 0, shared("party:v-1", payer, 0, T + 1))));

    ComplianceFixture f = start();
    PartyRoster roster = f.get(PartyRoster.class);
    ConsentLedger ledger = f.get(ConsentLedger.class);

    assertThat(roster.members(payer, T)).containsExactly(kid);
    assertThat(roster.sharedPeople("party:v-1")).containsExactly(payer, kid);
    assertThat(roster.partiesOf(kid)).containsExactly(payer);
    assertThat(ledger.withdrawals(kid)).hasSize(1);
    assertThat(ledger.optedOut(kid, Modality.FACE, T)).isTrue();
    assertThat(storage.journal().read(PartyRoster.STREAM, 0, 100)).isEmpty();
    assertThat(storage.journal().read(ConsentLedger.STREAM, 0, 100)).isEmpty();
    assertThat(storage.journal().read(PartyRoster.PERSON_STREAMS + kid, 0, 100)).hasSize(2);
    assertThat(start().get(PartyRoster.class).sharedPeople("party:v-1")).containsExactly(payer, kid);
    assertThat(Set.copyOf(storage.journal().streams(PartyRoster.PERSON_STREAMS)))
        .containsExactlyInAnyOrder(PartyRoster.PERSON_STREAMS + kid, PartyRoster.PERSON_STREAMS + payer);
  }

  private static JournalRecord record(String type, String payer, String member, long ts) {
    return new JournalRecord(type, Canonical.json(Map.of("payer", payer, "member", member, "channel", "APP",
        "ts", ts)));
  }

  private static JournalRecord shared(String subject, String person, int index, long ts) {
    return new JournalRecord("shared", Canonical.json(Map.of("subject", subject, "person", person, "index", index,
        "ts", ts)));
  }

  private static String text(JournalRecord record) {
    return new String(record.payload(), StandardCharsets.UTF_8);
  }
}
