package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.cart.inject.CartModule;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.compliance.intake.SealedCredentials;
import dev.jwo.core.BinId;
import dev.jwo.core.VisitId;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.visit.ShopperLocator;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.subject.SubjectDeletion;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.core.TrackId;
import dev.jwo.payments.review.Disputes;
import dev.jwo.payments.review.ReviewDesk;
import dev.jwo.payments.review.ReviewException;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.incident.IncidentLog;
import dev.jwo.payments.restricted.RestrictedItems;
import dev.jwo.payments.restricted.VerifiedAgeRecords;
import dev.jwo.payments.v1.LineDecision;
import dev.jwo.payments.v1.ResolveReviewRequest;
import dev.jwo.payments.v1.StaffCheck;
import dev.jwo.payments.v1.PaymentState.Stage;
import dev.jwo.payments.v1.StoredReviewCase;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.retention.LegalHold;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.inject.PaymentsModule;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.PaymentState;
import dev.jwo.testing.scenario.StoreScript;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves that a durable {@link StoreStorage} keeps no raw credential of a paid visit once the payment records'
 * retention ({@link PaymentSettings#credentialRetention()}) is over: the payment state and every receipt version then
 * hold the person's keyed subject instead, the erasure is in the audit chain, and nothing at rest (as the subclass
 * reads it: the database files, or every row) holds the credential in any usual encoding. The visit's other records
 * go with it: its cart ledger (where and when the person took items) is deleted, and the input journal, which
 * never holds the credential in the clear, can no longer open its sealed copy. A visit never settled is closed at
 * {@link PaymentSettings#unsettledLimit()} and erased the same way. Before the window ends, the same scan finds
 * what it looks for, so the scan can see it. Subclass it with a storage implementation and a way to read everything
 * it keeps.
 */
public abstract class PaymentCredentialRetentionKit {
  protected static final long T = 1_764_410_400_000L;
  private static final StoreKeys KEYS = new StoreKeys(VaultMasterKey.of(new byte[32]), SubjectKey.of(new byte[32]));
  private static final Duration RETENTION = PaymentSettings.CREDENTIAL_RETENTION;

  /** Opens the storage under test; called again to simulate a restart, it must reach the same data. */
  protected abstract StoreStorage open();

  /** Everything the storage keeps at rest, read while it is closed (database files, or every row of every table). */
  protected abstract byte[] atRest() throws Exception;

  private static Injector store(StoreStorage storage, long now) {
    return KitStore.open(storage, KEYS, now);
  }

  /** Pays for a visit of {@code card} (entry at {@code ts}, checkout a minute later) and records its receipt. */
  private static Admission payFor(Injector store, String card, long ts) throws InterruptedException {
    EntryEvent entry = new EntryEvent(ts, GateId.of("in-1"), Credential.of(card), 1, null);
    store.getInstance(VisitPayments.class).onEvent(entry);
    return checkOut(store, Admission.from(entry), ReceiptStatus.CHARGED);
  }

  /** Checks a visit out a minute after its entry, with {@code decision}, and records its receipt. */
  private static Admission checkOut(Injector store, Admission admission, ReceiptStatus decision)
      throws InterruptedException {
    VisitPayments payments = store.getInstance(VisitPayments.class);
    long ts = admission.ts();
    payments.settle(new VisitOutcome(admission, decision,
        List.of(new LineItem(Sku.of("0001"), 2, new Money(199, java.util.Currency.getInstance("USD")))),
        ts + 60_000, ts + 61_000, decision == ReceiptStatus.CHARGED ? List.of() : List.of("two shoppers at A1-1"),
        1.0, List.of()));
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    if (decision != ReceiptStatus.CHARGED) {
      return admission;
    }
    ReceiptBook receipts = store.getInstance(ReceiptBook.class);
    Receipt charged = receipts.receipt(admission.visitId()).orElseThrow();
    receipts.amend(charged, "reissued with a corrected reference");
    return admission;
  }

  private boolean restsAnywhere(String value) throws Exception {
    return AtRest.holds(atRest(), value);
  }

  @Test
  void noRawCredentialRestsOnceThePaymentRecordsRetentionIsOver() throws Exception {
    String card = "tok_kit_" + System.nanoTime() + "_4242424242424242";
    Admission admission;
    try (StoreStorage storage = open()) {
      Injector before = store(storage, T + 120_000);
      admission = payFor(before, card, T);
      before.getInstance(VisitPayments.class).close();
    }
    assertThat(restsAnywhere(card)).as("the credential at rest within its retention").isTrue();

    long due = T + 61_000 + RETENTION.toMillis();
    try (StoreStorage storage = open()) {
      Injector after = store(storage, due);
      VisitPayments payments = after.getInstance(VisitPayments.class);
      payments.onTimeAdvanced(due - 1);
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
      assertThat(after.getInstance(ReceiptBook.class).receipt(admission.visitId()).orElseThrow().credential()
          .erased()).as("erased a millisecond early").isFalse();
      payments.onTimeAdvanced(due);
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();

      String subject = KEYS.subjectKey().subject(Credential.of(card));
      Receipt receipt = after.getInstance(ReceiptBook.class).receipt(admission.visitId()).orElseThrow();
      assertThat(receipt.credential()).isEqualTo(Credential.erasedTo(subject));
      assertThat(after.getInstance(ReceiptBook.class).history(admission.visitId()))
          .hasSize(2).allSatisfy(v -> assertThat(v.receipt().credential().reveal()).isEqualTo(subject));
      PaymentState state = PaymentState.parseFrom(
          storage.table("payments").get(admission.visitId().value()).orElseThrow().value());
      assertThat(state.getCredentialErased()).isTrue();
      assertThat(state.getCredential()).isEqualTo(subject);
      AuditRecord erased = after.getInstance(AuditChain.class).records().stream()
          .filter(r -> r.type() == AuditType.CREDENTIAL_ERASED).findFirst().orElseThrow();
      assertThat(erased.subject()).isEqualTo(subject);
      assertThat(erased.detail("visit")).isEqualTo(admission.visitId().value());
      assertThat(erased.detail("where")).isEqualTo("payments, 2 receipt version(s)");
      assertThat(after.getInstance(AuditChain.class).verify().valid()).isTrue();
      payments.close();
    }
    assertThat(restsAnywhere(card)).as("the credential at rest after its retention").isFalse();
  }

  @Test
  void aDeletionRequestReachesTheVisitsStaffCheckReviewCaseIncidentsAndVerifiedAgeAtRestAndItsProofListsThem()
      throws Exception {
    String card = "tok_kit_erase_" + System.nanoTime();
    String checkNote = "kit-erase-check-" + System.nanoTime();
    String ageReference = "kit-erase-age-" + System.nanoTime();
    TrackId track = TrackId.of("kit-erase-track-" + System.nanoTime());
    long entryTs = T + 5_000;
    EntryEvent entry = new EntryEvent(entryTs, GateId.of("in-1"), Credential.of(card), 1, null);
    Admission admission = Admission.from(entry);
    String subject = KEYS.subjectKey().subject(Credential.of(card));
    long now = entryTs + 300_000;
    try (StoreStorage storage = open()) {
      Injector store = store(storage, now);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.onEvent(entry);
      checkOut(store, admission, ReceiptStatus.REVIEW);
      storage.table(RestrictedItems.CHECKS).put(admission.visitId().value(), StaffCheck.newBuilder()
          .setVisitId(admission.visitId().value()).setCredentialPseudonym(subject).setRaisedTsMs(entryTs + 30_000)
          .setState(StaffCheck.State.APPROVED).setNote(checkNote).build().toByteArray(), KeyedTable.ANY_VERSION);
      assertThat(store.getInstance(IncidentLog.class).tailgating(GateId.of("in-1"), track, entryTs + 1_000,
          admission.visitId(), 1)).isTrue();
      store.getInstance(RestrictedItems.class).recordVerifiedAge(Credential.of(card), 34, ageReference);
      // The held receipt's case is resolved (an open one decides the charge and stays for the schedule).
      ReviewDesk desk = store.getInstance(ReviewDesk.class);
      desk.claim(admission.visitId(), "kit-reviewer", Duration.ofMinutes(30));
      desk.resolve(ResolveReviewRequest.newBuilder().setVisitId(admission.visitId().value())
          .setReviewer("kit-reviewer").setLeaseId(desk.get(admission.visitId()).orElseThrow().getLeaseId())
          .addDecisions(LineDecision.newBuilder().setLineIndex(0)
              .setChange(LineDecision.Change.newBuilder().setQuantity(1)))
          .build());
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(desk.get(admission.visitId()).orElseThrow().getResolved()).isTrue();
      payments.close();
    }
    for (String kept : List.of(checkNote, ageReference, track.value())) {
      assertThat(restsAnywhere(kept)).as("%s at rest before the request", kept).isTrue();
    }

    try (StoreStorage storage = open()) {
      Injector store = store(storage, now);
      SubjectDeletion deletion = store.getInstance(SubjectRequests.class).delete(subject, Channel.BACK_OFFICE, now);
      assertThat(deletion.destroyed()).contains(
          "staff check (table " + RestrictedItems.CHECKS + "): 1",
          "review case (table " + ReviewDesk.TABLE + "): 1",
          "incident (table " + IncidentLog.TABLE + "): 1",
          "verified age (table " + RestrictedItems.AGES + "): 1");
      assertThat(store.getInstance(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.RECORDS_DELETED
          && subject.equals(r.subject())).hasSize(4)
          .allSatisfy(r -> assertThat(r.detail("retention")).contains("deletion requested by the person"));
      assertThat(store.getInstance(AuditChain.class).verify().valid()).isTrue();
      store.getInstance(VisitPayments.class).close();
    }
    try (StoreStorage storage = open()) {
      Injector restarted = store(storage, now);
      assertThat(restarted.getInstance(IncidentLog.class).tailgating(GateId.of("in-1"), track, entryTs + 1_000,
          admission.visitId(), 1)).as("input replayed after the deletion does not record it again").isFalse();
      assertThat(restarted.getInstance(ReviewDesk.class).get(admission.visitId())).isEmpty();
      assertThat(restarted.getInstance(RestrictedItems.class).verifiedAge(Credential.of(card))).isEmpty();
      restarted.getInstance(VisitPayments.class).close();
    }
    for (String gone : List.of(checkNote, ageReference, track.value())) {
      assertThat(restsAnywhere(gone)).as("%s at rest after the deletion request", gone).isFalse();
    }
  }

  @Test
  void aDisputeOpenedAfterTheVisitsRecordsAreGoneIsRefusedAndLeavesNoCase() throws Exception {
    String card = "tok_kit_late_" + System.nanoTime();
    String note = "kit-late-dispute-" + System.nanoTime();
    Admission admission;
    try (StoreStorage storage = open()) {
      Injector before = store(storage, T + 120_000);
      admission = payFor(before, card, T);
      before.getInstance(VisitPayments.class).close();
    }
    long due = T + 61_000 + RETENTION.toMillis();
    try (StoreStorage storage = open()) {
      Injector after = store(storage, due);
      VisitPayments payments = after.getInstance(VisitPayments.class);
      payments.onTimeAdvanced(due);
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
      assertThat(payments.recordsErased(admission.visitId())).isTrue();

      Disputes disputes = after.getInstance(Disputes.class);
      assertThatThrownBy(() -> disputes.contest(admission.visitId(), 0, 0, 1, ContestReason.NOT_TAKEN, note))
          .isInstanceOfSatisfying(ReviewException.class,
              e -> assertThat(e.problem()).isEqualTo(ReviewException.Problem.CONFLICT))
          .hasMessageContaining("dispute window").hasMessageContaining("nothing was opened");
      assertThat(storage.table(ReviewDesk.TABLE).get(admission.visitId().value())).as("no case no schedule deletes")
          .isEmpty();
      assertThat(payments.refunds(admission.visitId())).isEmpty();
      payments.close();
    }
    assertThat(restsAnywhere(note)).as("the late dispute's note at rest").isFalse();
  }

  @Test
  void aLegalHoldKeepsTheCredentialUntilItIsReleased() throws Exception {
    String card = "tok_kit_held_" + System.nanoTime();
    String subject = KEYS.subjectKey().subject(Credential.of(card));
    long due = T + 61_000 + RETENTION.toMillis();
    try (StoreStorage storage = open()) {
      Injector store = store(storage, due);
      Admission admission = payFor(store, card, T);
      store.getInstance(RetentionSchedule.class)
          .placeHold(subject, LegalHold.Order.SUBPOENA, "SUB-2026-0042", "Cook County", T + 100_000);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.onTimeAdvanced(due);
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
      assertThat(store.getInstance(ReceiptBook.class).receipt(admission.visitId()).orElseThrow().credential())
          .isEqualTo(Credential.of(card));

      store.getInstance(RetentionSchedule.class).releaseHold(subject, "case closed", due + 1_000);
      payments.onTimeAdvanced(due + VisitPayments.HOLD_RECHECK.toMillis());
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
      assertThat(store.getInstance(ReceiptBook.class).receipt(admission.visitId()).orElseThrow().credential())
          .isEqualTo(Credential.erasedTo(subject));
      payments.close();
    }
  }

  @Test
  void theVisitsCartLedgerAndTheJournalsSealedCredentialGoWithItsPaymentRecords() throws Exception {
    String card = "tok_kit_journal_" + System.nanoTime();
    String marker = "kit-ledger-" + System.nanoTime();
    VisitId visit = Admission.visitIdFor(GateId.of("in-1"), T);
    try (StoreStorage storage = open()) {
      Injector before = store(storage, T + 120_000);
      IngestLog log = before.getInstance(IngestLog.class);
      offer(log, SensorEventMessage.newBuilder().setSource("gate-in-1").setSequence(1).setTsMs(T)
          .setEntry(EntryScan.newBuilder().setGate("in-1").setCredential(card).setPartySize(1)).build());
      before.getInstance(CartLedger.class).append(visit,
          new CartEntry(T + 20_000, Sku.of("0001"), 2, BinId.of("A1-1"), false, marker));
      checkOut(before, Admission.from(new EntryEvent(T, GateId.of("in-1"), Credential.of(card), 1, null)),
          ReceiptStatus.CHARGED);

      EntryScan journaled = journaledEntry(storage);
      assertThat(journaled.getCredential()).isEmpty();
      assertThat(journaled.getCredentialSubject()).isEqualTo(KEYS.subjectKey().subject(Credential.of(card)));
      assertThat(before.getInstance(SealedCredentials.class).open(visit, journaled))
          .as("the journal's sealed copy opens while the visit's records are kept").contains(Credential.of(card));
      log.close();
      before.getInstance(VisitPayments.class).close();
    }
    assertThat(restsAnywhere(card)).as("the credential at rest within its retention").isTrue();
    assertThat(restsAnywhere(marker)).as("the cart ledger at rest within its retention").isTrue();

    long due = T + 61_000 + RETENTION.toMillis();
    try (StoreStorage storage = open()) {
      Injector after = store(storage, due);
      VisitPayments payments = after.getInstance(VisitPayments.class);
      payments.onTimeAdvanced(due);
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();

      assertThat(storage.journal().read("cart/" + visit.value(), 0, 10)).isEmpty();
      assertThat(after.getInstance(SealedCredentials.class).open(visit, journaledEntry(storage))).isEmpty();
      String subject = KEYS.subjectKey().subject(Credential.of(card));
      List<AuditRecord> deleted = after.getInstance(AuditChain.class).records().stream()
          .filter(r -> r.type() == AuditType.RECORDS_DELETED).toList();
      assertThat(deleted).allSatisfy(r -> {
        assertThat(r.subject()).isEqualTo(subject);
        assertThat(r.detail("visit")).isEqualTo(visit.value());
      });
      assertThat(deleted).extracting(r -> r.detail("where")).containsExactlyInAnyOrder(
          "cart ledger (journal stream cart/<visit>)",
          "input journal (the entry's sealed credential: its key in table " + SealedCredentials.TABLE + ")");
      // A restart still replays the journal: the entry now stands for the keyed subject only.
      IngestLog log = after.getInstance(IngestLog.class);
      assertThat(log.recover()).isEqualTo(1);
      log.close();
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
      payments.close();
    }
    assertThat(restsAnywhere(card)).as("the credential at rest after its retention").isFalse();
    assertThat(restsAnywhere(marker)).as("the cart ledger at rest after its retention").isFalse();
  }

  @Test
  void aVisitNeverSettledIsClosedAtItsLimitAndItsCredentialErased() throws Exception {
    String card = "tok_kit_unsettled_" + System.nanoTime();
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of(card), 1, null);
    Admission admission = Admission.from(entry);
    long limit = T + PaymentSettings.UNSETTLED_LIMIT.toMillis();
    try (StoreStorage storage = open()) {
      Injector store = store(storage, T + 120_000);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.onEvent(entry);
      checkOut(store, admission, ReceiptStatus.REVIEW);
      assertThat(store.getInstance(ReviewDesk.class).open()).extracting(StoredReviewCase::getVisitId)
          .containsExactly(admission.visitId().value());
      payments.close();
    }
    assertThat(restsAnywhere(card)).as("the credential of a visit held for review").isTrue();

    try (StoreStorage storage = open()) {
      Injector store = store(storage, limit);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.onTimeAdvanced(limit - 1);
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(payments.stage(admission.visitId())).as("closed a millisecond early").contains(Stage.HELD);

      payments.onTimeAdvanced(limit);
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();

      String subject = KEYS.subjectKey().subject(Credential.of(card));
      PaymentState state = PaymentState.parseFrom(
          storage.table("payments").get(admission.visitId().value()).orElseThrow().value());
      assertThat(state.getStage()).as("the hold released, nothing charged").isEqualTo(Stage.VOIDED);
      assertThat(state.getCapturedMinor()).isZero();
      assertThat(state.getClosedUnsettled()).isTrue();
      assertThat(state.getCredential()).isEqualTo(subject);
      Receipt receipt = store.getInstance(ReceiptBook.class).receipt(admission.visitId()).orElseThrow();
      assertThat(VisitPayments.closedUnsettled(receipt)).isTrue();
      assertThat(receipt.credential()).isEqualTo(Credential.erasedTo(subject));
      assertThat(store.getInstance(ReviewDesk.class).open()).isEmpty();
      assertThat(store.getInstance(ReviewDesk.class).get(admission.visitId()))
          .as("the case, closed by the store, is deleted with the visit's records").isEmpty();
      assertThat(store.getInstance(AuditChain.class).records().stream()
          .filter(r -> subject.equals(r.subject())).map(AuditRecord::type))
          .contains(AuditType.VISIT_CLOSED, AuditType.CREDENTIAL_ERASED);
      assertThat(store.getInstance(AuditChain.class).verify().valid()).isTrue();
      payments.close();
    }
    assertThat(restsAnywhere(card)).as("the credential of a visit closed unsettled").isFalse();
  }

  @Test
  void theCredentialKeysTableHoldsNoUsableKeyAndItsKeysOpenAcrossARestartUnderTheMasterKeyOnly() throws Exception {
    String card = "tok_kit_wrapped_" + System.nanoTime();
    VisitId visit = Admission.visitIdFor(GateId.of("in-1"), T);
    EntryScan journaled;
    try (StoreStorage storage = open()) {
      Injector before = store(storage, T + 120_000);
      IngestLog log = before.getInstance(IngestLog.class);
      offer(log, SensorEventMessage.newBuilder().setSource("gate-in-1").setSequence(1).setTsMs(T)
          .setEntry(EntryScan.newBuilder().setGate("in-1").setCredential(card).setPartySize(1)).build());
      journaled = journaledEntry(storage);
      log.close();
      before.getInstance(VisitPayments.class).close();
    }
    byte[] sealed = journaled.getSealedCredential().toByteArray();
    try (StoreStorage storage = open()) {
      // Every 32 bytes of every row, and of every base64 field in it, tried as the visit's key: none opens the entry.
      int tried = 0;
      for (KeyedValue row : storage.table(SealedCredentials.TABLE).scan("")) {
        List<byte[]> forms = new ArrayList<>(List.of(row.value().value()));
        java.util.regex.Matcher fields = java.util.regex.Pattern.compile("\"([A-Za-z0-9+/=]{16,})\"")
            .matcher(new String(row.value().value(), StandardCharsets.ISO_8859_1));
        while (fields.find()) {
          forms.add(Base64.getDecoder().decode(fields.group(1)));
        }
        for (byte[] form : forms) {
          for (int i = 0; i + 32 <= form.length; i++) {
            assertThat(opensWith(java.util.Arrays.copyOfRange(form, i, i + 32), visit, sealed))
                .as("bytes %d-%d of row %s open the journal's credential", i, i + 32, row.key()).isFalse();
            tried++;
          }
        }
      }
      assertThat(tried).as("the table holds the visit's wrapped key").isPositive();

      Injector restarted = store(storage, T + 180_000);
      assertThat(restarted.getInstance(SealedCredentials.class).open(visit, journaled))
          .as("opened after a restart under the same master key").contains(Credential.of(card));
      SealedCredentials otherMaster = new SealedCredentials(storage,
          restarted.getInstance(dev.jwo.compliance.keys.Subjects.class), VaultMasterKey.random());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> otherMaster.open(visit, journaled))
          .hasMessageContaining("is wrapped by master key " + KEYS.vaultMasterKey().id());
    }
  }

  @Test
  void theKeyOfAnEntryNoPaymentWasMadeForIsDeletedADayAfterItAndAudited() throws Exception {
    String paid = "tok_kit_paid_" + System.nanoTime();
    String orphan = "tok_kit_orphan_" + System.nanoTime();
    VisitId orphanVisit = Admission.visitIdFor(GateId.of("in-1"), T + 5_000);
    try (StoreStorage storage = open()) {
      Injector store = store(storage, T + 120_000);
      SealedCredentials credentials = store.getInstance(SealedCredentials.class);
      Admission admission = payFor(store, paid, T);
      EntryScan paidEntry = credentials.seal(admission.visitId(),
          EntryScan.newBuilder().setGate("in-1").setCredential(paid).build());
      // Sealed and journaled, then rejected by the pipeline: no payment was ever made for it.
      EntryScan orphanEntry = credentials.seal(orphanVisit,
          EntryScan.newBuilder().setGate("in-1").setCredential(orphan).build());
      VisitPayments payments = store.getInstance(VisitPayments.class);
      long dayLater = T + 5_000 + VisitPayments.ORPHAN_AFTER.toMillis();
      payments.onTimeAdvanced(dayLater - 1);
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
      assertThat(credentials.open(orphanVisit, orphanEntry)).as("kept until a day has passed")
          .contains(Credential.of(orphan));

      payments.onTimeAdvanced(dayLater + VisitPayments.ORPHAN_AFTER.toMillis());
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();

      assertThat(credentials.open(orphanVisit, orphanEntry)).isEmpty();
      assertThat(credentials.open(admission.visitId(), paidEntry)).as("a paid visit's key waits for its payment")
          .contains(Credential.of(paid));
      assertThat(store.getInstance(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.RECORDS_DELETED)
          .singleElement().satisfies(r -> {
            assertThat(r.detail("visit")).isEqualTo(orphanVisit.value());
            assertThat(r.subject()).isEqualTo(KEYS.subjectKey().subject(Credential.of(orphan)));
            assertThat(r.detail("retention")).contains("no payment was made for the entry");
          });
      payments.close();
    }
  }

  @Test
  void staffChecksReviewCasesIncidentsAndVerifiedAgesAreDeletedOnThePublishedScheduleAndAudited() throws Exception {
    String card = "tok_kit_tables_" + System.nanoTime();
    String checkNote = "kit-check-" + System.nanoTime();
    String ageReference = "kit-age-" + System.nanoTime();
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of(card), 1, null);
    Admission admission = Admission.from(entry);
    long incidentTs = T + 70_000 + (System.nanoTime() % 1_000);
    String incident = "unmatched-exit/out-1/" + incidentTs;
    long ageVerified = T + 120_000;
    String subject = KEYS.subjectKey().subject(Credential.of(card));
    try (StoreStorage storage = open()) {
      Injector store = store(storage, ageVerified);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.onEvent(entry);
      checkOut(store, admission, ReceiptStatus.REVIEW);
      storage.table(RestrictedItems.CHECKS).put(admission.visitId().value(), StaffCheck.newBuilder()
          .setVisitId(admission.visitId().value()).setCredentialPseudonym(subject).setRaisedTsMs(T + 30_000)
          .setState(StaffCheck.State.APPROVED).setNote(checkNote).build().toByteArray(), KeyedTable.ABSENT);
      assertThat(store.getInstance(IncidentLog.class).unmatchedExit(GateId.of("out-1"), incidentTs)).isTrue();
      store.getInstance(RestrictedItems.class).recordVerifiedAge(Credential.of(card), 34, ageReference);
      assertThat(store.getInstance(ReviewDesk.class).get(admission.visitId())).isPresent();
      payments.close();
    }
    for (String kept : List.of(checkNote, ageReference, incident)) {
      assertThat(restsAnywhere(kept)).as("%s at rest within its retention", kept).isTrue();
    }

    try (StoreStorage storage = open()) {
      Injector store = store(storage, ageVerified + Duration.ofDays(400).toMillis());
      VisitPayments payments = store.getInstance(VisitPayments.class);
      RestrictedItems restricted = store.getInstance(RestrictedItems.class);
      // The visit, held for review and never resolved, is closed at its limit: its case and check go with it.
      long closed = T + PaymentSettings.UNSETTLED_LIMIT.toMillis();
      payments.onTimeAdvanced(closed);
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(storage.table(ReviewDesk.TABLE).get(admission.visitId().value())).isEmpty();
      assertThat(storage.table(RestrictedItems.CHECKS).get(admission.visitId().value())).isEmpty();
      assertThat(store.getInstance(IncidentLog.class).all()).extracting(i -> i.getIncidentId()).contains(incident);

      long incidentDue = incidentTs + IncidentLog.KEPT_FOR.toMillis() + VisitPayments.ORPHAN_AFTER.toMillis();
      payments.onTimeAdvanced(incidentDue);
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(store.getInstance(IncidentLog.class).all()).extracting(i -> i.getIncidentId())
          .doesNotContain(incident);
      assertThat(store.getInstance(IncidentLog.class).unmatchedExit(GateId.of("out-1"), incidentTs))
          .as("input replayed after the deletion does not record it again").isFalse();
      assertThat(VerifiedAgeRecords.KEPT_FOR).as("a year, as the California notice says")
          .isEqualTo(Duration.ofDays(365));
      assertThat(restricted.verifiedAge(Credential.of(card))).as("kept a year").contains(34);

      payments.onTimeAdvanced(ageVerified + VerifiedAgeRecords.KEPT_FOR.toMillis()
          + VisitPayments.ORPHAN_AFTER.toMillis());
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(restricted.verifiedAge(Credential.of(card))).isEmpty();

      List<AuditRecord> deleted = store.getInstance(AuditChain.class).records().stream()
          .filter(r -> r.type() == AuditType.RECORDS_DELETED).toList();
      assertThat(deleted).filteredOn(r -> subject.equals(r.subject())).extracting(r -> r.detail("where"))
          .contains("staff check (table " + RestrictedItems.CHECKS + ")", "review case (table " + ReviewDesk.TABLE
              + ")", "verified age (table " + RestrictedItems.AGES + ")");
      assertThat(deleted).filteredOn(r -> r.detail("where").startsWith("incident")).singleElement()
          .satisfies(r -> assertThat(r.detail("retention")).isEqualTo(IncidentLog.KEPT_FOR.toString()));
      assertThat(store.getInstance(AuditChain.class).verify().valid()).isTrue();
      payments.close();
    }
    for (String gone : List.of(checkNote, ageReference, incident)) {
      assertThat(restsAnywhere(gone)).as("%s at rest after its retention", gone).isFalse();
    }
  }

  private static boolean opensWith(byte[] key, VisitId visit, byte[] sealed) {
    try {
      javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
          new javax.crypto.spec.GCMParameterSpec(128, sealed, 0, 12));
      cipher.updateAAD(("jwo entry credential v1|" + visit.value()).getBytes(StandardCharsets.UTF_8));
      cipher.doFinal(sealed, 12, sealed.length - 12);
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** Offers {@code message} to the ingest log and waits until it is journaled and processed. */
  private static void offer(IngestLog log, SensorEventMessage message) throws Exception {
    CompletableFuture<IngestAck> acked = new CompletableFuture<>();
    log.offer(message, acked::complete, acked::completeExceptionally);
    assertThat(acked.get(10, TimeUnit.SECONDS).getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED);
  }

  /** The one entry in the input journal, as journaled. */
  private static EntryScan journaledEntry(StoreStorage storage) {
    List<SensorEventMessage> entries = new ArrayList<>();
    for (JournalEntry record : storage.journal().read(IngestLog.STREAM, 0, 1_000)) {
      IngestLog.decode(record).stream().filter(SensorEventMessage::hasEntry).forEach(entries::add);
    }
    assertThat(entries).hasSize(1);
    return entries.get(0).getEntry();
  }
}
