package dev.jwo.compliance.documents;

import static dev.jwo.compliance.ComplianceFixture.T;
import static dev.jwo.compliance.ComplianceFixture.admission;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.DocumentKind;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.export.ExportGuard;
import dev.jwo.compliance.export.ExportRequest;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Credential;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.GateId;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.ingest.CredentialSeal;
import dev.jwo.core.ingest.FeatureIntake;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each promise the public documents make, checked against what the code does: the text must say it, and the
 * behaviour must hold, so a document cannot promise more than the software does (R4, R5; 740 ILCS 14/15(a),
 * 15(b)(1)-(2); Cal. Civ. Code 1798.100(a)).
 */
class DocumentPromisesTest {
  static final double[] FACE = {0.6180339887, 0.1414213562};

  private static String latest(ComplianceFixture f, DocumentKind kind) {
    f.get(VisitCompliance.class).ensurePublished(T);
    return f.get(DocumentLibrary.class).latest(kind).orElseThrow().markdown();
  }

  private static String disclosure(ComplianceFixture f) {
    f.get(VisitCompliance.class).ensurePublished(T);
    return f.get(DocumentLibrary.class).currentDisclosure().orElseThrow().text();
  }

  /** A store whose tracker sees {@code who} wherever a camera looks. */
  private static Injector storeSeeing(StoreLayout layout, Admission who) {
    Injector injector = Guice.createInjector(Modules.override(new CoreModule(layout), new ComplianceModule())
        .with(new AbstractModule() {
          @Override
          protected void configure() {
            com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), dev.jwo.compliance.keys.SubjectKey.class)
                .setBinding().toInstance(dev.jwo.compliance.ComplianceFixture.SUBJECT_KEY);
            bind(ShopperLocator.class).toInstance(new ShopperLocator() {
              @Override
              public List<HandSighting> handsNear(Point3 point, double radiusMetres, long fromTs, long toTs) {
                return List.of();
              }

              @Override
              public Optional<Admission> shopperAt(Position position, long ts, double radiusMetres) {
                return Optional.of(who);
              }
            });
          }
        }));
    injector.getInstance(VisitCompliance.class).ensurePublished(T);
    return injector;
  }

  private static SensorEventMessage frame(double... features) {
    PersonDetection.Builder person = PersonDetection.newBuilder()
        .setPosition(dev.jwo.core.v1.Position.newBuilder().setX(3).setY(3));
    for (double v : features) {
      person.addFeatures(v);
    }
    return SensorEventMessage.newBuilder().setSource("cam-gw").setSequence(1).setTsMs(T + 1_000)
        .setFrame(CameraFrame.newBuilder().setCamera("cam-f").addPeople(person)).build();
  }

  @Test
  void aNonSignersFaceIsRemovedAtTheServerBeforeAnythingIsWrittenAsTheDisclosureSays() {
    assertThat(disclosure(new ComplianceFixture("US-IL")))
        .contains("removes your biometric data there, before anything is written")
        .contains("never used to follow you and never kept")
        .doesNotContain("by position alone");
    Injector store = storeSeeing(ComplianceFixture.store("US-IL"), admission("c-walkin", T, "bio-2026-01"));

    SensorEventMessage written = store.getInstance(FeatureIntake.class).screen(List.of(frame(FACE))).get(0);

    assertThat(written.getFrame().getPeople(0).getFeaturesCount()).isZero();
    assertThat(written.getFrame().getPeople(0).getSealedFeatures()).isEmpty();
    assertThat(written.toString()).doesNotContain("0.618033");
    assertThat(store.getInstance(BiometricVault.class).size()).isZero();
  }

  @Test
  void onePersonsReleaseNeverCoversAnotherAsTheDisclosureSays() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    assertThat(disclosure(f)).contains("one person's release never covers another");
    f.sign("c-payer", T);
    Credential payer = Credential.of("c-payer");
    Admission pair = new Admission(Admission.visitIdFor(GateId.of("in-1"), T), T, GateId.of("in-1"), payer, 2, null);

    assertThat(f.get(ComplianceGuard.class).check(new DataUse(DataCategory.FACE_GEOMETRY,
        Purpose.CHECKOUT_TRACKING, pair, T + 1)).allowed()).isFalse();
  }

  @Test
  void destructionReachesTheDatabaseButNotAnEarlierBackupAsTheRetentionPolicyNowSays() {
    VaultMasterKey master = VaultMasterKey.random();
    InMemoryStoreStorage live = new InMemoryStoreStorage();
    ComplianceFixture f = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, live, master);
    assertThat(latest(f, DocumentKind.RETENTION_POLICY))
        .contains("Destruction does not reach backups of the database taken before it")
        .doesNotContain("including backups");
    String alice = ComplianceFixture.pseudonym("c-alice");
    TemplateRef ref = f.get(BiometricVault.class).keep(alice, "v-1", DataCategory.FACE_GEOMETRY, FACE, T + 1);
    StoreStorage backup = copyOfVault(live);

    f.get(BiometricVault.class).destroySubject(alice, "deletion requested", "test", T + 2);

    assertThat(f.get(BiometricVault.class).open(ref)).as("the database").isEmpty();
    ComplianceFixture restored = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, backup, master);
    assertThat(restored.get(BiometricVault.class).open(ref)).as("a backup taken before, with the master key")
        .isPresent();
  }

  @Test
  void rotatingTheMasterKeyLeavesEveryEarlierBackupUnreadableWithoutTheOldKeyAsTheRetentionPolicySays() {
    VaultMasterKey old = VaultMasterKey.random();
    VaultMasterKey next = VaultMasterKey.random();
    InMemoryStoreStorage live = new InMemoryStoreStorage();
    ComplianceFixture f = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, live, old);
    assertThat(latest(f, DocumentKind.RETENTION_POLICY)).contains("Rotating the store's master key and destroying"
        + " the old one makes the biometric data of every backup taken before the rotation unreadable");
    String alice = ComplianceFixture.pseudonym("c-alice");
    TemplateRef ref = f.get(BiometricVault.class).keep(alice, "v-1", DataCategory.FACE_GEOMETRY, FACE, T + 1);
    StoreStorage backup = copyOfVault(live);

    f.get(BiometricVault.class).rotateMasterKey(next, T + 2);

    assertThat(f.get(BiometricVault.class).open(ref)).as("the database, under the new key").isPresent();
    ComplianceFixture restored = new ComplianceFixture("US-IL", ComplianceSettings.DEFAULTS, backup, next);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> restored.get(BiometricVault.class).open(ref)))
        .as("a backup taken before the rotation, with the only key kept").isNotNull()
        .hasMessageContaining(old.id());
  }

  @Test
  void noBiometricValueIsWrittenToTheInputJournalAsTheRetentionPolicySays() {
    ComplianceFixture f = new ComplianceFixture("US-IL");
    assertThat(latest(f, DocumentKind.RETENTION_POLICY))
        .contains("screened when they reach the store's server, before anything is written")
        .doesNotContain("never appears in logs");
    Injector store = storeSeeing(ComplianceFixture.store("US-IL"), admission("c-alice", T, null));
    var d = store.getInstance(DocumentLibrary.class).currentDisclosure().orElseThrow();
    store.getInstance(dev.jwo.compliance.consent.ConsentLedger.class).record(ComplianceFixture.pseudonym("c-alice"),
        d, d.modalities(), new dev.jwo.compliance.consent.SignatureEvidence("app-tap-to-sign", d.sha256(), "app"),
        dev.jwo.compliance.consent.Channel.APP, T);

    SensorEventMessage written = store.getInstance(FeatureIntake.class).screen(List.of(frame(FACE))).get(0);

    assertThat(written.getFrame().getPeople(0).getFeaturesCount()).isZero();
    assertThat(written.getFrame().getPeople(0).getSealedFeatures()).as("sealed, a reference left").isNotEmpty();
    assertThat(written.toString()).doesNotContain("0.618033");
  }

  @Test
  void clothingColourIsKeptInTheInputJournalAsTheCaliforniaNoticeNowSays() {
    StoreLayout clothing = ComplianceFixture.store("US-CA", FeatureKind.CLOTHING_COLOR);
    ComplianceFixture f = new ComplianceFixture(clothing);
    assertThat(latest(f, DocumentKind.CA_NOTICE_AT_COLLECTION))
        .contains("kept with the positions in the store's sensor-input journal")
        .doesNotContain("not kept after your visit");
    Injector store = storeSeeing(clothing, admission("c-alice", T, null));

    SensorEventMessage written = store.getInstance(FeatureIntake.class).screen(List.of(frame(0.2, 0.4, 0.6))).get(0);

    assertThat(written.getFrame().getPeople(0).getFeaturesList()).containsExactly(0.2, 0.4, 0.6);
  }

  @Test
  void positionsAreJournalledWithoutANameAndTheReceiptKeepsNoneAsTheCaliforniaNoticeNowSays() {
    StoreLayout clothing = ComplianceFixture.store("US-CA", FeatureKind.CLOTHING_COLOR);
    assertThat(latest(new ComplianceFixture(clothing), DocumentKind.CA_NOTICE_AT_COLLECTION))
        .contains("without a name, credential or track number, in the store's sensor-input journal")
        .contains("Your receipt keeps what you bought, not where you went")
        .doesNotContain("kept with your receipt");
    Injector store = storeSeeing(clothing, admission("c-alice", T, null));

    PersonDetection written = store.getInstance(FeatureIntake.class).screen(List.of(frame(0.2, 0.4, 0.6))).get(0)
        .getFrame().getPeople(0);

    assertThat(written.getPosition().getX()).isEqualTo(3.0);
    // What a journalled detection can hold: nothing names or numbers the person it saw.
    assertThat(PersonDetection.getDescriptor().getFields()).extracting(f -> f.getName())
        .containsExactly("position", "hands", "features", "sealed_features", "removed_features");
  }

  @Test
  void thePaymentTokenIsKeptOnlyUntilTheDisputeWindowHasPassedAsTheCaliforniaNoticeNowSays() {
    // The behaviour is PaymentCredentialRetentionKit's (jwo-testing, run on both databases in jwo-storage).
    assertThat(latest(new ComplianceFixture("US-CA"), DocumentKind.CA_NOTICE_AT_COLLECTION))
        .contains("until the payment is final (captured, voided, refunded or failed) and the store's dispute window"
            + " has passed, then replaced by a keyed pseudonym")
        .contains("**Purchases**: to charge you and give you a receipt; kept as the law on accounting records")
        .doesNotContain("Purchases and payment token");
  }

  @Test
  void aVerifiedAgeIsKeptAYearAndStaffChecksAndReviewsGoWithThePaymentRecordsAsTheCaliforniaNoticeNowSays() {
    // The behaviour is PaymentCredentialRetentionKit's
    // staffChecksReviewCasesIncidentsAndVerifiedAgesAreDeletedOnThePublishedScheduleAndAudited (jwo-testing, run on
    // both databases in jwo-storage: VerifiedAgeRecords.KEPT_FOR, 365 days, and the visit's VisitRecords).
    assertThat(latest(new ComplianceFixture("US-CA"), DocumentKind.CA_NOTICE_AT_COLLECTION))
        .contains("**Age** (when your app verifies it): to sell you age-restricted items; kept under the keyed"
            + " pseudonym for a year after it was verified, then deleted")
        .contains("A staff check of restricted items you took, and a review of your visit's receipt, are kept with"
            + " your visit's payment records and deleted with them");
  }

  @Test
  void aDeletionReachesTheAgeIncidentsAndResolvedChecksAndReviewsButNotWhatIsStillNeededAsTheCaliforniaNoticeSays() {
    // The behaviour is PaymentCredentialRetentionKit's
    // aDeletionRequestReachesTheVisitsStaffCheckReviewCaseIncidentsAndVerifiedAgeAtRestAndItsProofListsThem (jwo-testing,
    // run on both databases in jwo-storage); what it leaves is SubjectRequests.NOT_REACHED, sent with every deletion.
    assertThat(latest(new ComplianceFixture("US-CA"), DocumentKind.CA_NOTICE_AT_COLLECTION))
        .contains("A deletion destroys your biometric data and deletes at once your verified age, the incidents"
            + " recorded about your visits, and their staff checks and reviews once resolved")
        .contains("backups taken before the deletion still hold what they held")
        .contains("It also deletes what ties you to another shopper's party, and the details of your app session kept"
            + " with your signed releases; what you signed, and when, is kept as evidence")
        .contains("the store's database may keep deleted records in unused space of its files");
    // The companion's side is CompanionDeletionKit's (jwo-testing, run on both databases in jwo-storage).
    assertThat(SubjectRequests.NOT_REACHED).anySatisfy(n -> assertThat(n).contains("review case or staff check still"
        + " open")).anySatisfy(n -> assertThat(n).startsWith("backups")).anySatisfy(n -> assertThat(n)
        .contains("cart ledgers"));
  }

  @Test
  void theJournalKeepsTheEntrysTokenOnlyEncryptedUnderAKeyDestroyedWithItAsTheCaliforniaNoticeNowSays() {
    ComplianceFixture f = new ComplianceFixture("US-CA");
    assertThat(latest(f, DocumentKind.CA_NOTICE_AT_COLLECTION))
        .contains("The sensor-input journal keeps your entry with the token only encrypted, under a key destroyed at"
            + " that same time, and the keyed pseudonym")
        .contains("kept in your visit's cart record until the payment is final and the store's dispute window has"
            + " passed, then deleted")
        .doesNotContain("not on a deletion schedule");
    // The payments' schedule deletes every VisitRecords when it erases the token (PaymentCredentialRetentionKit, run
    // on both databases in jwo-storage, with the cart ledger; CartLedgerTest).
    VisitId visit = VisitId.of("v-" + T + "-in-1");
    EntryScan journaled = f.get(CredentialSeal.class).seal(visit,
        EntryScan.newBuilder().setGate("in-1").setCredential("tok_alice_4242").setPartySize(1).build());
    assertThat(journaled.getCredential()).isEmpty();
    assertThat(journaled.getCredentialSubject()).isEqualTo(ComplianceFixture.pseudonym("tok_alice_4242"));
    assertThat(new String(journaled.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("alice");
    assertThat(f.get(CredentialSeal.class).open(visit, journaled)).contains(Credential.of("tok_alice_4242"));

    for (VisitRecords records : f.get(com.google.inject.Key.get(new com.google.inject.TypeLiteral<
        Set<VisitRecords>>() {}))) {
      records.delete(visit.value());
    }

    assertThat(f.get(CredentialSeal.class).open(visit, journaled)).isEmpty();
  }

  @Test
  void biometricDataIsNeverSoldAsEveryDocumentSays() {
    ComplianceFixture f = new ComplianceFixture("US-NY-NYC");
    assertThat(latest(f, DocumentKind.NYC_ENTRANCE_SIGN)).contains("never sold, leased, traded or shared");
    assertThat(latest(f, DocumentKind.RETENTION_POLICY)).contains("We do not sell, lease, trade");

    assertThat(f.get(ExportGuard.class).check(new ExportRequest(Set.of(DataCategory.FACE_GEOMETRY), Purpose.SALE,
        "data-broker", ComplianceFixture.pseudonym("c-alice"), null, T)).allowed()).isFalse();
  }

  private static StoreStorage copyOfVault(StoreStorage live) {
    InMemoryStoreStorage copy = new InMemoryStoreStorage();
    for (String table : List.of(BiometricVault.KEYS, BiometricVault.DATA, "compliance_retention")) {
      for (KeyedValue row : live.table(table).scan("")) {
        copy.table(table).put(row.key(), row.value().value(), KeyedTable.ANY_VERSION);
      }
    }
    return copy;
  }
}
