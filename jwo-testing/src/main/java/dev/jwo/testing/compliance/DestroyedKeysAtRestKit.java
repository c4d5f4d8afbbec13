package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.intake.SealedCredentials;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.retention.StoragePurge;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.PaymentSettings;
import dev.jwo.payments.settlement.VisitPayments;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Proves that a destroyed key rests nowhere in the storage's files once its destruction is due, not even in the
 * space of deleted rows a database keeps until it reuses it: a person's vault key destroyed on the retention
 * schedule (their visit settled), and a visit's credential key deleted with its payment records (with the raw
 * credential it opened), are in no page of the storage afterwards, as the subclass reads them; no face vector is
 * either, in any usual encoding. Before, the same scan finds each key, so the scan can see it. Subclass it with a
 * storage implementation and a way to read every byte of its files.
 */
public abstract class DestroyedKeysAtRestKit {
  private static final long T = 1_764_410_400_000L;
  private static final StoreKeys KEYS = new StoreKeys(VaultMasterKey.of(new byte[32]), SubjectKey.of(new byte[32]));
  private static final double[] FACE = {0.71875, -0.28125, 0.40625, -0.59375};

  /** Opens the storage under test; called again to simulate a restart, it must reach the same data. */
  protected abstract StoreStorage open();

  /**
   * Every byte of the storage's files, read while it is closed, the space of deleted rows not yet reclaimed
   * included (database files, or every raw page of every table).
   */
  protected abstract byte[] everyPage() throws Exception;

  @Test
  void aPersonsVaultKeyDestroyedOnTheScheduleRestsInNoPage() throws Exception {
    Credential card = Credential.of("tok_kit_face_" + System.nanoTime());
    String subject = KEYS.subjectKey().subject(card);
    Admission visit = Admission.from(new EntryEvent(T + 60_000, GateId.of("in-1"), card, 1, null));
    byte[] key;
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, T + 120_000);
      store.getInstance(VisitCompliance.class).ensurePublished(T);
      store.getInstance(BiometricVault.class).keep(subject, visit.visitId().value(), DataCategory.FACE_GEOMETRY,
          FACE, visit.ts() + 5_000);
      key = storage.table(BiometricVault.KEYS).get(subject).orElseThrow().value();
      store.getInstance(VisitPayments.class).close();
    }
    byte[] before = everyPage();
    assertThat(AtRest.holds(before, key)).as("the person's key in the storage's pages while kept").isTrue();
    assertThat(AtRest.holdsVector(before, FACE)).as("the face, kept only sealed").isFalse();

    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, T + 180_000);
      VisitCompliance compliance = store.getInstance(VisitCompliance.class);
      compliance.visitEnded(visit, visit.ts() + 60_000);
      compliance.onTimeAdvanced(visit.ts() + 61_000);
      assertThat(store.getInstance(BiometricVault.class).hasKey(subject)).as("destroyed when due").isFalse();
      assertThat(store.getInstance(StoragePurge.class).pending()).as("the destruction purged").isFalse();
      store.getInstance(VisitPayments.class).close();
    }
    byte[] after = everyPage();
    assertThat(AtRest.holds(after, key)).as("the destroyed key in the storage's pages").isFalse();
    assertThat(AtRest.holdsVector(after, FACE)).as("the face in the storage's pages").isFalse();
  }

  @Test
  void aVisitsCredentialKeyDeletedWithItsPaymentRecordsRestsInNoPageNorDoesTheCredential() throws Exception {
    String card = "tok_kit_pages_" + System.nanoTime();
    VisitId visit = Admission.visitIdFor(GateId.of("in-1"), T);
    byte[] key;
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, T + 120_000);
      IngestLog log = store.getInstance(IngestLog.class);
      CompletableFuture<IngestAck> acked = new CompletableFuture<>();
      log.offer(SensorEventMessage.newBuilder().setSource("gate-in-1").setSequence(1).setTsMs(T)
          .setEntry(EntryScan.newBuilder().setGate("in-1").setCredential(card).setPartySize(1)).build(),
          acked::complete, acked::completeExceptionally);
      assertThat(acked.get(10, TimeUnit.SECONDS).getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.settle(new VisitOutcome(Admission.from(new EntryEvent(T, GateId.of("in-1"), Credential.of(card), 1,
          null)), ReceiptStatus.CHARGED, List.of(new LineItem(Sku.of("0001"), 1,
          new Money(199, Currency.getInstance("USD")))), T + 60_000, T + 61_000, List.of(), 1.0, List.of()));
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      key = storage.table(SealedCredentials.TABLE).get(visit.value()).orElseThrow().value();
      log.close();
      payments.close();
    }
    byte[] before = everyPage();
    assertThat(AtRest.holds(before, key)).as("the visit's credential key while its records are kept").isTrue();
    assertThat(AtRest.holds(before, card)).as("the credential while its records are kept").isTrue();

    long due = T + 61_000 + PaymentSettings.CREDENTIAL_RETENTION.toMillis();
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, due);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      payments.onTimeAdvanced(due);
      assertThat(payments.awaitTasks(Duration.ofSeconds(10))).isTrue();
      assertThat(storage.table(SealedCredentials.TABLE).get(visit.value())).as("deleted when due").isEmpty();
      // The store's event time moves on: the pipeline's next time advance purges what the payments destroyed.
      store.getInstance(VisitCompliance.class).onTimeAdvanced(due);
      assertThat(store.getInstance(StoragePurge.class).pending()).isFalse();
      payments.close();
    }
    byte[] after = everyPage();
    assertThat(AtRest.holds(after, key)).as("the deleted credential key in the storage's pages").isFalse();
    assertThat(AtRest.holds(after, card.getBytes(StandardCharsets.UTF_8)))
        .as("the erased credential in the storage's pages").isFalse();
  }
}
