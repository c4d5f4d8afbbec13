package dev.jwo.core.grpc;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.TestStores;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.security.TokenKey;
import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The core of a store wired by Guice with {@link CoreModule}, served in-process under a unique name, with a
 * channel to it that calls as a sensor gateway (with a token the harness issued). The pipeline's only handler
 * records the events it is given. Close it after each test.
 */
final class CoreServer implements AutoCloseable {
  static final long WINDOW_MILLIS = 1_000;

  final Injector injector;
  final JwoGrpcServer server;
  final TokenKey key = TokenKey.generate();
  final TokenIssuer callers = new TokenIssuer(key, TestStores.small().storeId().value(), Clock.systemUTC());
  final ManagedChannel connection;
  final Channel channel;
  final List<SensorEvent> handled = new CopyOnWriteArrayList<>();

  CoreServer(Duration defaultUnaryDeadline, BindableService... extraServices) {
    this(defaultUnaryDeadline, PermissionTable.builder().build(), extraServices);
  }

  CoreServer(Duration defaultUnaryDeadline, PermissionTable extraPermissions, BindableService... extraServices) {
    String name = InProcessServerBuilder.generateName();
    SensorEventHandler recorder = new SensorEventHandler() {
      @Override
      public PipelineStage stage() {
        return PipelineStage.OBSERVERS;
      }

      @Override
      public void onEvent(SensorEvent event) {
        handled.add(event);
      }
    };
    injector = Guice.createInjector(new CoreModule(TestStores.small()), new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
            .toInstance(new GrpcServerSettings(0, name, defaultUnaryDeadline, null, null));
        OptionalBinder.newOptionalBinder(binder(), PipelineSettings.class).setBinding()
            .toInstance(new PipelineSettings(WINDOW_MILLIS));
        CoreModule.handlers(binder()).addBinding().toInstance(recorder);
        CoreModule.permissions(binder()).addBinding().toInstance(extraPermissions);
        OptionalBinder.newOptionalBinder(binder(), dev.jwo.core.security.CallerAuthentication.class).setBinding()
            .toInstance(callers.authentication());
        for (BindableService service : extraServices) {
          CoreModule.services(binder()).addBinding().toInstance(service);
        }
      }
    });
    server = injector.getInstance(JwoGrpcServer.class).start();
    connection = InProcessChannelBuilder.forName(name).directExecutor().build();
    channel = callers.as(connection, Role.SENSOR_GATEWAY);
  }

  StorePipeline pipeline() {
    return injector.getInstance(StorePipeline.class);
  }

  MeterRegistry registry() {
    return injector.getInstance(MeterRegistry.class);
  }

  @Override
  public void close() {
    connection.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
  }
}
