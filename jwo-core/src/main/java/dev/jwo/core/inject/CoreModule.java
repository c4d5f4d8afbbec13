package dev.jwo.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.visit.AdmissionHold;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.ingest.CredentialSeal;
import dev.jwo.core.ingest.FeatureIntake;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.ingest.IngestSettings;
import dev.jwo.core.ingest.StoreIntake;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.grpc.SensorIngestGrpcService;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Objects;

/**
 * Wires the core for one store: the layout, the pipeline and the gRPC server. Other modules contribute
 * through {@link #services}, {@link #interceptors} and {@link #handlers}; a retailer replaces a default with
 * {@code OptionalBinder.newOptionalBinder(binder(), T.class).setBinding()}.
 *
 * <p>Defaults: a {@link SimpleMeterRegistry}, the system UTC {@link Clock}, {@link PipelineSettings#DEFAULTS},
 * {@link IngestSettings#DEFAULTS},
 * gRPC on port 8980 (no default {@link CallerAuthentication}: bind one), and storage in memory (install a durable {@link StoreStorage} for anything real).
 */
public final class CoreModule extends AbstractModule {
  /** The port {@code serve} listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 8980;

  private final StoreLayout layout;

  public CoreModule(StoreLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  /** The set of gRPC services the store's server serves; add yours with {@code services(binder()).addBinding()}. */
  public static Multibinder<BindableService> services(Binder binder) {
    return Multibinder.newSetBinder(binder, BindableService.class);
  }

  /** Interceptors applied to every served call, e.g. a retailer's authentication. */
  public static Multibinder<ServerInterceptor> interceptors(Binder binder) {
    return Multibinder.newSetBinder(binder, ServerInterceptor.class);
  }

  /**
   * The permission tables of the served services: every RPC a module serves must be in its module's table, or
   * nobody may call it. Add yours with {@code permissions(binder()).addBinding().toInstance(table)}.
   */
  public static Multibinder<PermissionTable> permissions(Binder binder) {
    return Multibinder.newSetBinder(binder, PermissionTable.class);
  }

  /** Who may call the sensor ingest service. */
  public static final PermissionTable INGEST_PERMISSIONS = PermissionTable.builder()
      .allow(SensorIngestServiceGrpc.getIngestMethod().getFullMethodName(), Role.SENSOR_GATEWAY)
      .allow(SensorIngestServiceGrpc.getIngestBatchesMethod().getFullMethodName(), Role.SENSOR_GATEWAY)
      .allow(SensorIngestServiceGrpc.getGetCapturePolicyMethod().getFullMethodName(),
          Role.SENSOR_GATEWAY, Role.STAFF, Role.COMPLIANCE_OFFICER, Role.STORE_ADMIN)
      .build();

  /** The stages of the per-store pipeline. */
  public static Multibinder<SensorEventHandler> handlers(Binder binder) {
    return Multibinder.newSetBinder(binder, SensorEventHandler.class);
  }

  @Override
  protected void configure() {
    bind(StoreLayout.class).toInstance(layout);
    services(binder()).addBinding().to(SensorIngestGrpcService.class);
    interceptors(binder());
    permissions(binder()).addBinding().toInstance(INGEST_PERMISSIONS);
    // No default: the server refuses to start until the store says how callers authenticate.
    OptionalBinder.newOptionalBinder(binder(), CallerAuthentication.class);
    handlers(binder());
    OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class)
        .setDefault()
        .to(SimpleMeterRegistry.class);
    OptionalBinder.newOptionalBinder(binder(), Clock.class).setDefault().toInstance(Clock.systemUTC());
    OptionalBinder.newOptionalBinder(binder(), PipelineSettings.class)
        .setDefault()
        .toInstance(PipelineSettings.DEFAULTS);
    // No default: without a compliance module, the ingest log keeps only declared, non-biometric features.
    OptionalBinder.newOptionalBinder(binder(), FeatureIntake.class);
    // No default: without a compliance module, the ingest log journals entries' credentials as received.
    OptionalBinder.newOptionalBinder(binder(), CredentialSeal.class);
    OptionalBinder.newOptionalBinder(binder(), IngestSettings.class)
        .setDefault()
        .toInstance(IngestSettings.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class)
        .setDefault()
        .toInstance(GrpcServerSettings.onPort(DEFAULT_PORT));
    OptionalBinder.newOptionalBinder(binder(), StoreStorage.class)
        .setDefault()
        .to(InMemoryStoreStorage.class);
    bind(InMemoryStoreStorage.class).in(com.google.inject.Singleton.class);
    // Without a payments module, parties are admitted without a hold.
    OptionalBinder.newOptionalBinder(binder(), AdmissionHold.class).setDefault().toInstance(AdmissionHold.NONE);
    bind(StorePipeline.class);
    bind(StoreIntake.class);
    bind(IngestLog.class);
    bind(JwoGrpcServer.class);
  }

  @Provides
  @Singleton
  SimpleMeterRegistry simpleMeterRegistry() {
    return new SimpleMeterRegistry();
  }
}
