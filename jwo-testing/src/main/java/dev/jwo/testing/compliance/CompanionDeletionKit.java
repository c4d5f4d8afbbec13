package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.Consent;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.consent.PartyRoster;
import dev.jwo.compliance.consent.SignatureEvidence;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.subject.SubjectDeletion;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.settlement.VisitPayments;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proves at rest that a party companion's deletion request destroys everything that is theirs while the payer's
 * purchase stays the payer's: the roster records that tie the companion to the payer's party and visit, their place
 * among the people of the visit's shared vault key (and that key, with the faces sealed under it), the signer's
 * attestation of their release, and their verified age are gone from the database (its files, or every row, as the
 * subclass reads it) after the request and after a restart, and the shredded key is in none of the storage's
 * pages either, where deleted rows rest until the database reclaims their space; the payer's receipt, payment,
 * release and their own age stay. Before the request the same scan finds each of them, so the scan can see them. Subclass it with a
 * storage implementation and a way to read everything it keeps.
 */
public abstract class CompanionDeletionKit {
  private static final long T = 1_764_410_400_000L;
  private static final StoreKeys KEYS = new StoreKeys(VaultMasterKey.of(new byte[32]), SubjectKey.of(new byte[32]));
  private static final double[] FACE = {0.8125, -0.34375, 0.15625, 0.6875};

  /** Opens the storage under test; called again to simulate a restart, it must reach the same data. */
  protected abstract StoreStorage open();

  /** Everything the storage keeps at rest, read while it is closed (database files, or every row of every table). */
  protected abstract byte[] atRest() throws Exception;

  /**
   * Every byte of the storage's files, the space of deleted rows not yet reclaimed included, read while it is
   * closed: by default {@link #atRest()} (database files hold both); a database read by rows overrides it (every
   * raw page of every table).
   */
  protected byte[] everyPage() throws Exception {
    return atRest();
  }

  private static Consent sign(Injector store, Credential who, String attestation, long ts) {
    Disclosure disclosure = store.getInstance(DocumentLibrary.class).currentDisclosure().orElseThrow();
    return store.getInstance(ConsentLedger.class).record(KEYS.subjectKey().subject(who), disclosure,
        disclosure.modalities(), new SignatureEvidence("app-tap-to-sign", disclosure.sha256(), attestation),
        Channel.APP, ts);
  }

  @Test
  void aCompanionsDeletionReachesWhatTiesThemToThePayersVisitAndLeavesThePayersPurchase() throws Exception {
    long run = System.nanoTime();
    Credential payerCard = Credential.of("tok_kit_payer_" + run);
    Credential companionApp = Credential.of("app_kit_companion_" + run);
    String payer = KEYS.subjectKey().subject(payerCard);
    String companion = KEYS.subjectKey().subject(companionApp);
    String payerAttestation = "kit payer app session " + run;
    String companionAttestation = "kit companion app session " + run;
    String payerAge = "kit-payer-age-" + run;
    String companionAge = "kit-companion-age-" + run;
    EntryEvent entry = new EntryEvent(T + 60_000, GateId.of("in-1"), payerCard, 2, null);
    Admission visit = Admission.from(entry);
    String shared = PartyRoster.SHARED_PREFIX + visit.visitId().value();
    long now = T + 600_000;
    byte[] sharedKey;
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, now);
      store.getInstance(VisitCompliance.class).ensurePublished(T);
      sign(store, payerCard, payerAttestation, T + 1_000);
      sign(store, companionApp, companionAttestation, T + 2_000);
      store.getInstance(PartyRoster.class).join(payer, companion, Channel.APP, T + 3_000);
      store.getInstance(RestrictedItems.class).recordVerifiedAge(payerCard, 41, payerAge);
      store.getInstance(RestrictedItems.class).recordVerifiedAge(companionApp, 19, companionAge);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.onEvent(entry);
      assertThat(store.getInstance(PartyRoster.class).sharedSubject(visit, entry.ts())).isEqualTo(shared);
      store.getInstance(BiometricVault.class).keep(shared, visit.visitId().value(), DataCategory.FACE_GEOMETRY, FACE,
          entry.ts() + 5_000);
      sharedKey = storage.table(BiometricVault.KEYS).get(shared).orElseThrow().value();
      payments.settle(new VisitOutcome(visit, ReceiptStatus.CHARGED,
          List.of(new LineItem(Sku.of("0001"), 2, new Money(199, Currency.getInstance("USD")))),
          entry.ts() + 60_000, entry.ts() + 61_000, List.of(), 1.0, List.of()));
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      payments.close();
    }
    Map<String, byte[]> companions = Map.of(
        "the roster's tie of the companion to the payer's party", json("member", companion),
        "the companion's place among the shared key's people", json("person", companion),
        "the companion's release attestation", companionAttestation.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "the companion's verified age", companionAge.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "the party visit's shared key", sharedKey);
    Map<String, byte[]> payers = Map.of(
        "the payer's release attestation", payerAttestation.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "the payer's verified age", payerAge.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "the payer's place among the shared key's people", json("person", payer),
        "the payer's card in the payment records", payerCard.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] before = atRest();
    companions.forEach((what, value) -> assertThat(AtRest.holds(before, value)).as("%s before", what).isTrue());
    payers.forEach((what, value) -> assertThat(AtRest.holds(before, value)).as("%s before", what).isTrue());
    byte[] pagesBefore = everyPage();
    assertThat(AtRest.holds(pagesBefore, sharedKey)).as("the shared key in the storage's pages before").isTrue();
    assertThat(AtRest.holdsVector(pagesBefore, FACE)).as("the face, kept only sealed").isFalse();

    Receipt receipt;
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, now);
      receipt = store.getInstance(ReceiptBook.class).receipt(visit.visitId()).orElseThrow();
      SubjectDeletion deletion = store.getInstance(SubjectRequests.class).delete(companion, Channel.APP, now);
      assertThat(deletion.destroyed()).contains(
          "biometric vault, the shared key of a party visit (" + shared + "): 1 template(s), the key shredded",
          "party roster (journal stream " + PartyRoster.PERSON_STREAMS + "<person>): 2",
          "verified age (table " + RestrictedItems.AGES + "): 1");
      assertThat(deletion.destroyed()).anyMatch(line -> line.startsWith("signer's attestation of releases")
          && line.endsWith(": 1"));
      assertThat(store.getInstance(AuditChain.class).verify().valid()).isTrue();
      store.getInstance(VisitPayments.class).close();
    }
    assertNothingOfTheCompanionAndThePayersPurchase(companions, payers, sharedKey, "after the request");

    try (StoreStorage storage = open()) {
      Injector restarted = KitStore.open(storage, KEYS, now + 1_000);
      assertThat(restarted.getInstance(ReceiptBook.class).receipt(visit.visitId())).as("the payer's receipt")
          .contains(receipt);
      assertThat(receipt.credential().erased()).isFalse();
      assertThat(receipt.status()).isEqualTo(ReceiptStatus.CHARGED);
      PartyRoster roster = restarted.getInstance(PartyRoster.class);
      assertThat(roster.members(payer, now)).isEmpty();
      assertThat(roster.partiesOf(companion)).isEmpty();
      assertThat(roster.sharedPeople(shared)).containsExactly(payer);
      ConsentLedger ledger = restarted.getInstance(ConsentLedger.class);
      assertThat(ledger.consents(companion)).singleElement().satisfies(c -> assertThat(c.signature().attestation())
          .isEqualTo(ConsentLedger.ATTESTATION_ERASED));
      assertThat(ledger.validConsent(companion, Modality.FACE, now + 1_000)).isEmpty();
      assertThat(ledger.optedOut(companion, Modality.FACE, now + 1_000)).isTrue();
      assertThat(ledger.consents(payer)).singleElement().satisfies(c -> assertThat(c.signature().attestation())
          .isEqualTo(payerAttestation));
      assertThat(restarted.getInstance(BiometricVault.class).hasKey(shared)).isFalse();
      assertThat(restarted.getInstance(RestrictedItems.class).verifiedAge(companionApp)).isEmpty();
      assertThat(restarted.getInstance(RestrictedItems.class).verifiedAge(payerCard)).contains(41);
      restarted.getInstance(VisitPayments.class).close();
    }
    assertNothingOfTheCompanionAndThePayersPurchase(companions, payers, sharedKey, "after a restart");
  }

  private void assertNothingOfTheCompanionAndThePayersPurchase(Map<String, byte[]> companions,
      Map<String, byte[]> payers, byte[] sharedKey, String when) throws Exception {
    byte[] after = atRest();
    companions.forEach((what, value) -> assertThat(AtRest.holds(after, value)).as("%s %s", what, when).isFalse());
    payers.forEach((what, value) -> assertThat(AtRest.holds(after, value)).as("%s %s", what, when).isTrue());
    byte[] pages = everyPage();
    assertThat(AtRest.holds(pages, sharedKey))
        .as("the shredded shared key in the storage's pages, deleted rows included, %s", when).isFalse();
    assertThat(AtRest.holdsVector(pages, FACE)).as("the face in the storage's pages %s", when).isFalse();
  }

  /** A field of a canonical JSON record naming {@code subject}, as the roster writes it. */
  private static byte[] json(String field, String subject) {
    return ("\"" + field + "\":\"" + subject + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
