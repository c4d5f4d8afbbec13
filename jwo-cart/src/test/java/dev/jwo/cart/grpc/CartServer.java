package dev.jwo.cart.grpc;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.cart.TestLayouts;
import dev.jwo.cart.inject.CartModule;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.visit.ShopperLocator;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cart module wired by Guice on the core, served in-process under a unique name with a channel to it. The
 * clock stands still at {@link #NOW}, the pipeline has no reordering window, nobody's hands are ever seen, and
 * settled visits are only recorded. {@link #channel} calls as staff; {@link #callers} issues other tokens. Close it
 * after each test.
 */
final class CartServer implements AutoCloseable {
  static final long NOW = 1_764_410_400_000L;

  final Injector injector;
  final JwoGrpcServer server;
  final TokenIssuer callers = TokenIssuer.withNewKey(TestLayouts.store().storeId().value(),
      Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  final ManagedChannel connection;
  /** Calls as store staff. */
  final Channel channel;
  final List<VisitOutcome> settled = new CopyOnWriteArrayList<>();

  CartServer() {
    this(ExportChannels.DEFAULTS);
  }

  /** A store that declared {@code channels} for personal data to leave by. */
  CartServer(ExportChannels channels) {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(new CoreModule(TestLayouts.store()), new ComplianceModule(), new CartModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
                .toInstance(GrpcServerSettings.inProcess(name));
            OptionalBinder.newOptionalBinder(binder(), PipelineSettings.class).setBinding()
                .toInstance(new PipelineSettings(0));
            OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding()
                .toInstance(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
            OptionalBinder.newOptionalBinder(binder(), CallerAuthentication.class).setBinding()
                .toInstance(callers.authentication());
            OptionalBinder.newOptionalBinder(binder(), ExportChannels.class).setBinding().toInstance(channels);
            bind(VisitSettlement.class).toInstance((VisitSettlement) settled::add);
            bind(ShopperLocator.class).toInstance((point, radius, from, to) -> List.of());
          }
        });
    server = injector.getInstance(JwoGrpcServer.class).start();
    connection = InProcessChannelBuilder.forName(name).directExecutor().build();
    channel = callers.as(connection, Role.STAFF);
  }

  <T> T get(Class<T> type) {
    return injector.getInstance(type);
  }

  @Override
  public void close() {
    connection.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
  }
}
