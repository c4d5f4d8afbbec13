package dev.jwo.testing.compliance;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.consent.Channel;
import dev.jwo.compliance.consent.ConsentLedger;
import dev.jwo.compliance.consent.Disclosure;
import dev.jwo.compliance.consent.SignatureEvidence;
import dev.jwo.compliance.documents.DocumentLibrary;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.core.Credential;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.StoreStorage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * Releases signed before a recorded store log is replayed: entries in a log only refer to releases, so a test that
 * wants some shoppers covered records their releases first, into the storage the replay will use, as the consent API
 * would have (the store's current disclosure, the app channel, dated {@code ts}).
 */
public final class Releases {
  private Releases() {}

  /**
   * Records a release of the store's current disclosure for each of {@code signers} at {@code ts}, with the store's
   * keys {@code keys} (the replay that follows must use the same keys: a vault refuses any other master key, and the
   * subject key names who signed).
   */
  public static void record(StoreStorage storage, StoreLayout layout, StoreKeyProvider keys,
      Collection<Credential> signers, long ts) {
    Injector store = Guice.createInjector(new CoreModule(layout), new ComplianceModule(), new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
        OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(keys);
        OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding()
            .toInstance(Clock.fixed(Instant.ofEpochMilli(ts), ZoneOffset.UTC));
      }
    });
    store.getInstance(VisitCompliance.class).ensurePublished(ts);
    Disclosure disclosure = store.getInstance(DocumentLibrary.class).currentDisclosure().orElseThrow(
        () -> new IllegalStateException("the store " + layout.storeId() + " has no disclosure to sign"));
    ConsentLedger ledger = store.getInstance(ConsentLedger.class);
    Subjects subjects = store.getInstance(Subjects.class);
    for (Credential signer : signers) {
      ledger.record(subjects.of(signer), disclosure, disclosure.modalities(),
          new SignatureEvidence("app-tap-to-sign", disclosure.sha256(), "test app, signed before the visit"),
          Channel.APP, ts);
    }
  }
}
