package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.retention.LegalHold;
import dev.jwo.compliance.retention.RetentionSchedule;
import dev.jwo.compliance.subject.SubjectDeletion;
import dev.jwo.compliance.subject.SubjectRequests;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.Position;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.vision.paths.VisitPaths;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proves the path a visit walked ({@link VisitPaths}) is kept, shown and deleted as published: kept when the visit
 * ends with one position per second of each of its shoppers, shown in the payer's access report, deleted
 * {@link VisitPaths#KEPT_FOR} after the visit (not before, nor under a legal hold) and at the payer's deletion request
 * (and not written again by input replayed afterwards), each deletion audited, and gone from what the storage keeps
 * at rest (its files, or every row), where the same scan found it before. Subclass it with a storage implementation
 * and a way to read everything it keeps.
 */
public abstract class VisitPathsAtRestKit {
  private static final long T = 1_764_410_400_000L;
  private static final StoreKeys KEYS = new StoreKeys(VaultMasterKey.of(new byte[32]), SubjectKey.of(new byte[32]));

  /** Opens the storage under test; called again to simulate a restart, it must reach the same data. */
  protected abstract StoreStorage open();

  /** Everything the storage keeps at rest, read while it is closed (database files, or every row of every table). */
  protected abstract byte[] atRest() throws Exception;

  /** A paid visit of {@code card} from {@code entryTs}, its shopper (track {@code track}) walking 10 s, then out. */
  private static Admission walkAndPay(Injector store, String card, TrackId track, long entryTs) throws Exception {
    EntryEvent entry = new EntryEvent(entryTs, GateId.of("in-1"), Credential.of(card), 1, null);
    Admission visit = Admission.from(entry);
    VisitPayments payments = store.getInstance(VisitPayments.class);
    payments.onEvent(entry);
    VisitPaths paths = store.getInstance(VisitPaths.class);
    for (long ts = entryTs + 1_000; ts <= entryTs + 11_000; ts += 100) {
      paths.sample(visit.visitId(), track, new Position(1.0 + (ts - entryTs) / 10_000.0, 2.5), ts);
    }
    paths.visitEnded(visit, entryTs + 12_000);
    payments.settle(new VisitOutcome(visit, ReceiptStatus.CHARGED,
        List.of(new LineItem(Sku.of("0001"), 1, new Money(199, Currency.getInstance("USD")))), entryTs + 12_000,
        entryTs + 13_000, List.of(), 1.0, List.of()));
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    return visit;
  }

  @Test
  void aVisitsPathIsKeptOnceASecondShownToThePayerAndDeletedOnTheScheduleAndAtRest() throws Exception {
    String card = "tok_kit_path_" + System.nanoTime();
    TrackId track = TrackId.of("kit-path-track-" + System.nanoTime());
    String subject = KEYS.subjectKey().subject(Credential.of(card));
    Admission visit;
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, T + 120_000);
      visit = walkAndPay(store, card, track, T);
      VisitPaths.StoredPath path = store.getInstance(VisitPaths.class).path(visit.visitId()).orElseThrow();
      assertThat(path.subject()).isEqualTo(subject);
      assertThat(path.samples()).extracting(VisitPaths.Sample::ts)
          .as("one position a second").containsExactly(T + 1_000, T + 2_000, T + 3_000, T + 4_000, T + 5_000,
              T + 6_000, T + 7_000, T + 8_000, T + 9_000, T + 10_000, T + 11_000);
      String report = store.getInstance(SubjectRequests.class).access(subject, T + 120_000).markdown();
      assertThat(report).contains("## The path you walked in the store")
          .contains("Visit " + visit.visitId().value() + ", a shopper of your party (track " + track.value() + ")")
          .contains(Instant.ofEpochMilli(T + 1_000) + " (1.1, 2.5)").contains(Instant.ofEpochMilli(T + 11_000)
              + " (2.1, 2.5)");
      assertThat(store.getInstance(SubjectRequests.class).access(KEYS.subjectKey().subject(Credential.of("other")),
          T + 120_000).markdown()).doesNotContain(track.value());
      store.getInstance(VisitPayments.class).close();
    }
    assertThat(AtRest.holds(atRest(), track.value())).as("the path at rest within its retention").isTrue();

    long due = T + 12_000 + VisitPaths.KEPT_FOR.toMillis();
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, due);
      VisitPayments payments = store.getInstance(VisitPayments.class);
      RetentionSchedule retention = store.getInstance(RetentionSchedule.class);
      retention.placeHold(subject, LegalHold.Order.SUBPOENA, "SUB-2026-0077", "Cook County", due - 1_000);
      payments.onTimeAdvanced(due + VisitPayments.ORPHAN_AFTER.toMillis());
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(store.getInstance(VisitPaths.class).path(visit.visitId())).as("kept under a legal hold").isPresent();
      retention.releaseHold(subject, "case closed", due + VisitPayments.ORPHAN_AFTER.toMillis());
      payments.onTimeAdvanced(due + 2 * VisitPayments.ORPHAN_AFTER.toMillis());
      assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(store.getInstance(VisitPaths.class).path(visit.visitId())).as("deleted when due").isEmpty();
      assertThat(store.getInstance(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.RECORDS_DELETED
          && subject.equals(r.subject()) && r.detail("where").equals(store.getInstance(VisitPaths.class).where()))
          .singleElement().satisfies(r -> assertThat(r.detail("retention")).isEqualTo(VisitPaths.KEPT_FOR.toString()));
      payments.close();
    }
    assertThat(AtRest.holds(atRest(), track.value())).as("the path at rest after its retention").isFalse();
  }

  @Test
  void aDeletionRequestDeletesThePathAtRestAndInputReplayedLaterDoesNotWriteItAgain() throws Exception {
    String card = "tok_kit_path_erase_" + System.nanoTime();
    TrackId track = TrackId.of("kit-path-erase-" + System.nanoTime());
    String subject = KEYS.subjectKey().subject(Credential.of(card));
    long now = T + 300_000;
    Admission visit;
    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, now);
      visit = walkAndPay(store, card, track, T + 7_000);
      store.getInstance(VisitPayments.class).close();
    }
    assertThat(AtRest.holds(atRest(), track.value())).as("the path at rest before the request").isTrue();

    try (StoreStorage storage = open()) {
      Injector store = KitStore.open(storage, KEYS, now);
      SubjectDeletion deletion = store.getInstance(SubjectRequests.class).delete(subject, Channel.APP, now);
      VisitPaths paths = store.getInstance(VisitPaths.class);
      assertThat(deletion.destroyed()).contains(paths.where() + ": 1");
      assertThat(store.getInstance(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.RECORDS_DELETED
          && paths.where().equals(r.detail("where"))).extracting(AuditRecord::subject).containsExactly(subject);
      // The visit's input replayed after a restart ends it again: its path is not written again.
      paths.sample(visit.visitId(), track, new Position(3, 3), T + 8_000);
      paths.visitEnded(visit, T + 19_000);
      assertThat(paths.path(visit.visitId())).hasValueSatisfying(p -> {
        assertThat(p.erased()).isTrue();
        assertThat(p.samples()).isEmpty();
        assertThat(p.subject()).isEmpty();
      });
      assertThat(store.getInstance(SubjectRequests.class).access(subject, now).markdown())
          .doesNotContain(track.value());
      store.getInstance(VisitPayments.class).close();
    }
    assertThat(AtRest.holds(atRest(), track.value())).as("the path at rest after the request").isFalse();
  }
}
