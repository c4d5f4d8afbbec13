package dev.jwo.compliance.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.jwo.compliance.intake.CameraConfiguration;
import dev.jwo.compliance.intake.GuardedFeatureIntake;
import dev.jwo.compliance.intake.SealedCredentials;
import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.compliance.retention.VisitRecords;
import dev.jwo.core.ingest.CredentialSeal;
import dev.jwo.core.ingest.FeatureIntake;
import dev.jwo.core.visit.ShopperLocator;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.ComplianceSettings;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.grpc.ComplianceGrpcService;
import dev.jwo.compliance.grpc.CompliancePermissions;
import dev.jwo.compliance.guard.PolicyGuard;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.audit.AuditCheckpoints;
import dev.jwo.compliance.keys.AuditKey;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.compliance.visit.VisitCompliance;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.visit.VisitListener;
import jakarta.inject.Singleton;

/**
 * Wires compliance for one store on top of the core: the {@link PolicySet} of the store's jurisdiction, the
 * {@link PolicyGuard} as the default {@link ComplianceGuard}, {@link ComplianceSettings#DEFAULTS}, the
 * {@link VaultMasterKey}, {@link SubjectKey} and audit key from the bound {@link StoreKeyProvider} (unless one is
 * bound, random {@link StoreKeys} per injector over storage that is not durable; over durable storage the injector
 * fails at creation), audit checkpoints in memory ({@link AuditCheckpoints}), the pipeline and visit hooks ({@link VisitCompliance}) and the gRPC
 * {@link ComplianceGrpcService}; a camera configuration a law of the store's place bans is refused at start-up
 * ({@link CameraConfiguration}). All state lives in the bound {@code StoreStorage}. Replace a default with
 * {@code OptionalBinder.newOptionalBinder(binder(), T.class).setBinding()}.
 */
public final class ComplianceModule extends AbstractModule {
  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), ComplianceGuard.class).setDefault().to(PolicyGuard.class);
    OptionalBinder.newOptionalBinder(binder(), ComplianceSettings.class).setDefault()
        .toInstance(ComplianceSettings.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setDefault()
        .toProvider(StoreKeys.PerInjector.class);
    // Random keys over durable storage would leave yesterday's data unreadable: refused when the injector is made.
    bind(KeysFromProvider.Bound.class).asEagerSingleton();
    OptionalBinder.newOptionalBinder(binder(), VaultMasterKey.class).setDefault().toProvider(KeysFromProvider.Vault.class)
        .in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), SubjectKey.class).setDefault().toProvider(SubjectKey.FromStoreKeys.class)
        .in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), AuditKey.class).setDefault().toProvider(AuditKey.FromStoreKeys.class)
        .in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), AuditCheckpoints.class).setDefault()
        .toProvider(AuditCheckpoints.PerInjector.class);
    OptionalBinder.newOptionalBinder(binder(), ExportChannels.class).setDefault().toInstance(ExportChannels.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), FeatureIntake.class).setDefault().to(GuardedFeatureIntake.class);
    // Entries' credentials are journaled sealed under a key per visit, deleted with the visit's other records.
    OptionalBinder.newOptionalBinder(binder(), CredentialSeal.class).setDefault().to(SealedCredentials.class);
    Multibinder.newSetBinder(binder(), VisitRecords.class).addBinding().to(SealedCredentials.class);
    Multibinder.newSetBinder(binder(), TimedRecords.class);
    // A camera configuration a law here bans (faces in Portland) is refused when the injector is created.
    bind(CameraConfiguration.class).asEagerSingleton();
    // Person tracking, where installed, says whose features a detection carries; without it nobody's are kept.
    OptionalBinder.newOptionalBinder(binder(), ShopperLocator.class);
    CoreModule.handlers(binder()).addBinding().to(VisitCompliance.class);
    Multibinder.newSetBinder(binder(), VisitListener.class).addBinding().to(VisitCompliance.class);
    CoreModule.services(binder()).addBinding().to(ComplianceGrpcService.class);
    Multibinder.newSetBinder(binder(), SubjectRecords.class);
    CoreModule.permissions(binder()).addBinding().toInstance(CompliancePermissions.TABLE);
  }

  @Provides
  @Singleton
  PolicySet policySet(StoreLayout layout) {
    return Policies.resolve(layout.jurisdiction());
  }
}
