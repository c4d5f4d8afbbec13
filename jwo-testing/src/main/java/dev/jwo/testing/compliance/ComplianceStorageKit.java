package dev.jwo.testing.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.Modality;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.vault.TemplateRef;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.testing.scenario.StoreScript;
import org.junit.jupiter.api.Test;

/**
 * Proves that a {@link StoreStorage} keeps compliance state across a restart: the consent ledger, the audit chain
 * (still verifying) and the retention schedule, which destroys on time after the restart. Subclass it with a storage
 * implementation:
 *
 * <pre>{@code
 * class PostgresComplianceTest extends ComplianceStorageKit {
 *   protected StoreStorage open() { return PostgresStoreStorage.open(url); }   // the same database each time
 * }
 * }</pre>
 */
public abstract class ComplianceStorageKit {
  protected static final long T = 1_764_410_400_000L;
  private static final StoreKeys KEYS = new StoreKeys(VaultMasterKey.of(new byte[32]), SubjectKey.of(new byte[32]));

  /** Opens the storage under test; called again to simulate a restart, it must reach the same data. */
  protected abstract StoreStorage open();

  private Injector store(StoreStorage storage) {
    return Guice.createInjector(new CoreModule(StoreScript.smallStore("kit-001", "US-IL")), new ComplianceModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
            OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(KEYS);
          }
        });
  }

  private static Admission admission(String credential, long ts) {
    Credential c = Credential.of(credential);
    // A visit of its own for each kit subject, even in a shared database: a real one is named by gate and time.
    return new Admission(dev.jwo.core.VisitId.of(Admission.visitIdFor(GateId.of("in-1"), ts) + "-kit-"
        + System.nanoTime()), ts, GateId.of("in-1"), c, 1, "bio-2026-01");
  }

  @Test
  void releasesAndTheAuditChainSurviveARestartAndStillVerify() {
    Admission alice = admission("kit-alice-" + System.nanoTime(), T);
    String head;
    try (StoreStorage storage = open()) {
      Injector before = store(storage);
      before.getInstance(VisitCompliance.class).ensurePublished(T);
      var disclosure = before.getInstance(dev.jwo.compliance.documents.DocumentLibrary.class).currentDisclosure()
          .orElseThrow();
      before.getInstance(ConsentLedger.class).record(KEYS.subjectKey().subject(alice.credential()), disclosure,
          disclosure.modalities(), new dev.jwo.compliance.consent.SignatureEvidence("app-tap-to-sign",
              disclosure.sha256(), "kit"), dev.jwo.compliance.consent.Channel.APP, T);
      before.getInstance(VisitCompliance.class).visitStarted(alice);
      head = before.getInstance(AuditChain.class).headHash();
    }
    try (StoreStorage storage = open()) {
      Injector after = store(storage);
      assertThat(after.getInstance(ConsentLedger.class)
          .validConsent(KEYS.subjectKey().subject(alice.credential()), Modality.FACE, T + 1)).isPresent();
      assertThat(after.getInstance(AuditChain.class).headHash()).isEqualTo(head);
      assertThat(after.getInstance(AuditChain.class).verify().valid()).isTrue();
    }
  }

  @Test
  void whatFellDueWhileTheServerWasDownIsDestroyedAtItsFirstEvent() {
    Admission bob = admission("kit-bob-" + System.nanoTime(), T);
    TemplateRef ref;
    try (StoreStorage storage = open()) {
      Injector before = store(storage);
      ref = before.getInstance(BiometricVault.class).keep(KEYS.subjectKey().subject(bob.credential()), bob.visitId().value(),
          DataCategory.FACE_GEOMETRY, new double[] {0.1, 0.2}, T + 1_000);
      before.getInstance(dev.jwo.compliance.retention.RetentionSchedule.class)
          .purposeSatisfied(bob.visitId().value(), T + 60_000);
    }
    try (StoreStorage storage = open()) {
      Injector after = store(storage);
      BiometricVault vault = after.getInstance(BiometricVault.class);
      assertThat(vault.open(ref)).isPresent();
      after.getInstance(VisitCompliance.class).onTimeAdvanced(T + 120_000);
      assertThat(vault.open(ref)).isEmpty();
      assertThat(vault.hasKey(KEYS.subjectKey().subject(bob.credential()))).isFalse();
    }
  }
}
