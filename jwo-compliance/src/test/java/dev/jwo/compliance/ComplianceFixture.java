package dev.jwo.compliance;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;

/**
 * The compliance module wired by Guice on the core for a small store in {@code jurisdiction}, on a given storage
 * and master key (so a test can "restart" on the same ones), with the clock at {@link #T}.
 */
public final class ComplianceFixture {
  public static final long T = 1_764_410_400_000L;
  public static final long DAY = 86_400_000L;

  /** The subject key every fixture uses, so subjects stay the same across restarts and tests. */
  public static final SubjectKey SUBJECT_KEY = SubjectKey.of(new byte[32]);

  public final Injector injector;
  public final StoreStorage storage;

  public ComplianceFixture(String jurisdiction) {
    this(jurisdiction, ComplianceSettings.DEFAULTS, new InMemoryStoreStorage(), VaultMasterKey.random());
  }

  public ComplianceFixture(String jurisdiction, ComplianceSettings settings) {
    this(jurisdiction, settings, new InMemoryStoreStorage(), VaultMasterKey.random());
  }

  public ComplianceFixture(
      String jurisdiction, ComplianceSettings settings, StoreStorage storage, VaultMasterKey master) {
    this(store(jurisdiction), settings, storage, master);
  }

  /** A store with {@code layout}, e.g. one whose camera declares clothing colour where faces are banned. */
  public ComplianceFixture(StoreLayout layout) {
    this(layout, ComplianceSettings.DEFAULTS, new InMemoryStoreStorage(), VaultMasterKey.random());
  }

  private ComplianceFixture(
      StoreLayout layout, ComplianceSettings settings, StoreStorage storage, VaultMasterKey master) {
    this.storage = storage;
    this.injector = Guice.createInjector(new CoreModule(layout), new ComplianceModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
            OptionalBinder.newOptionalBinder(binder(), ComplianceSettings.class).setBinding().toInstance(settings);
            OptionalBinder.newOptionalBinder(binder(), VaultMasterKey.class).setBinding().toInstance(master);
            OptionalBinder.newOptionalBinder(binder(), SubjectKey.class).setBinding().toInstance(SUBJECT_KEY);
            OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding()
                .toInstance(Clock.fixed(Instant.ofEpochMilli(T), ZoneOffset.UTC));
          }
        });
  }

  /**
   * Records {@code credential}'s release of the current disclosure at {@code ts} through the ledger, as the consent
   * API does (publishing the documents first if needed).
   */
  public dev.jwo.compliance.consent.Consent sign(String credential, long ts) {
    get(dev.jwo.compliance.visit.VisitCompliance.class).ensurePublished(Math.min(ts, T));
    dev.jwo.compliance.consent.Disclosure d = get(dev.jwo.compliance.documents.DocumentLibrary.class)
        .currentDisclosure().orElseThrow();
    return get(dev.jwo.compliance.consent.ConsentLedger.class).record(pseudonym(credential), d, d.modalities(),
        new dev.jwo.compliance.consent.SignatureEvidence("app-tap-to-sign", d.sha256(), "test app"),
        dev.jwo.compliance.consent.Channel.APP, ts);
  }

  public <T> T get(Class<T> type) {
    return injector.getInstance(type);
  }

  public <T> T get(com.google.inject.Key<T> key) {
    return injector.getInstance(key);
  }

  /** An admission of {@code credential} at {@code ts}, naming {@code consentVersion} (may be null). */
  public static Admission admission(String credential, long ts, String consentVersion) {
    Credential c = Credential.of(credential);
    return new Admission(visitOf(credential, ts), ts, GateId.of("in-1"), c, 1, consentVersion);
  }

  private static final java.util.Map<String, Integer> ORDINALS = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The visit {@code credential} started at {@code ts}: named by gate and time as the pipeline names it, with the
   * credential's ordinal in these tests added, since tests admit several parties at one gate in one instant.
   */
  public static dev.jwo.core.VisitId visitOf(String credential, long ts) {
    int ordinal = ORDINALS.computeIfAbsent(credential, c -> ORDINALS.size());
    return dev.jwo.core.VisitId.of(Admission.visitIdFor(GateId.of("in-1"), ts).value() + "-" + ordinal);
  }

  /** An audit chain on {@code storage} naming people with {@link #SUBJECT_KEY}. */
  public static dev.jwo.compliance.audit.AuditChain auditChain(StoreStorage storage) {
    return new dev.jwo.compliance.audit.AuditChain(storage, new Subjects(storage, SUBJECT_KEY),
        SUBJECT_KEY.deriveAuditKey(), dev.jwo.compliance.audit.AuditCheckpoints.inMemory());
  }

  /** The subject of {@code credential} under {@link #SUBJECT_KEY}. */
  public static String pseudonym(String credential) {
    return SUBJECT_KEY.subject(Credential.of(credential));
  }

  /** A store with one entry, one exit, one bin and one face camera. */
  public static StoreLayout store(String jurisdiction) {
    return store(jurisdiction, FeatureKind.FACE_GEOMETRY);
  }

  /** A store with one entry, one exit, one bin and one camera sending {@code features}. */
  public static StoreLayout store(String jurisdiction, FeatureKind features) {
    Currency usd = Currency.getInstance("USD");
    return new StoreLayout(StoreId.of("store-1"), jurisdiction, usd, new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        List.of(new Product(Sku.of("0001"), "Water", new Money(199, usd), 520, 4, false)),
        List.of(new Bin(BinId.of("A1-1"), Sku.of("0001"), new Point3(4, 4, 1.1), 0.4, 10)),
        List.of(new Camera(CameraId.of("cam-f"), new Point3(4, 3, 3), features)));
  }
}
