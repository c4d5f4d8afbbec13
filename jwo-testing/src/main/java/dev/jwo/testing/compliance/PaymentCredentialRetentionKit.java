package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
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
 * reads it: the database files, or every row) holds the credential in any usual encoding. Before the window ends,
 * the same scan finds it, so the scan can see what it looks for. Subclass it with a storage implementation and a
 * way to read everything it keeps.
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
    return Guice.createInjector(new CoreModule(StoreScript.smallStore("kit-001", "US-IL")), new ComplianceModule(),
        new PaymentsModule(), new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
            OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(KEYS);
            OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding()
                .toInstance(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
          }
        });
  }

  /** Pays for a visit of {@code card} (entry at {@code ts}, checkout a minute later) and records its receipt. */
  private static Admission payFor(Injector store, String card, long ts) throws InterruptedException {
    VisitPayments payments = store.getInstance(VisitPayments.class);
    EntryEvent entry = new EntryEvent(ts, GateId.of("in-1"), Credential.of(card), 1, null);
    Admission admission = Admission.from(entry);
    payments.onEvent(entry);
    payments.settle(new VisitOutcome(admission, ReceiptStatus.CHARGED,
        List.of(new LineItem(Sku.of("0001"), 2, new Money(199, java.util.Currency.getInstance("USD")))),
        ts + 60_000, ts + 61_000, List.of(), 1.0, List.of()));
    assertThat(payments.awaitIdle(Duration.ofSeconds(10))).isTrue();
    ReceiptBook receipts = store.getInstance(ReceiptBook.class);
    Receipt charged = receipts.receipt(admission.visitId()).orElseThrow();
    receipts.amend(charged, "reissued with a corrected reference");
    return admission;
  }

  private boolean restsAnywhere(String card) throws Exception {
    byte[] bytes = atRest();
    byte[] raw = card.getBytes(StandardCharsets.UTF_8);
    for (byte[] form : List.of(raw, HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII),
        Base64.getEncoder().encodeToString(raw).getBytes(StandardCharsets.US_ASCII))) {
      if (indexOf(bytes, form) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
}
