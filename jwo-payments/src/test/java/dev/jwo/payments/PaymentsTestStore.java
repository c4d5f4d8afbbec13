package dev.jwo.payments;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.payments.inject.PaymentsModule;
import dev.jwo.payments.settlement.VisitPayments;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A payments store served in-process for gRPC tests: CoreModule + ComplianceModule + PaymentsModule over one
 * in-memory storage and one set of store keys (so {@link #restart()} reopens the same store), callers with tokens
 * per role, a channel to the latest server, and {@link #close()} shutting every channel, server and payments down.
 * A test's own bindings come in as the extra module.
 */
public final class PaymentsTestStore implements AutoCloseable {
  private final StoreKeys keys = StoreKeys.random();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final StoreLayout layout;
  private final Module extra;
  private final TokenIssuer callers;
  private final List<Injector> injectors = new ArrayList<>();
  private final List<JwoGrpcServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Injector injector;
  private ManagedChannel channel;

  public PaymentsTestStore(StoreLayout layout, Module extra) {
    this.layout = layout;
    this.extra = extra;
    this.callers = TokenIssuer.withNewKey(layout.storeId().value(), Clock.systemUTC());
  }

  /** Starts the first server; returns this. */
  public PaymentsTestStore start() {
    serve();
    return this;
  }

  /** A new injector and server over the same storage and keys; the earlier ones stay open until close. */
  public void restart() {
    serve();
  }

  private void serve() {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(new CoreModule(layout), new ComplianceModule(), new PaymentsModule(), extra,
        new AbstractModule() {
      @Override
      protected void configure() {
        // One store's keys across restarts: a vault and subjects refuse any other.
        OptionalBinder.newOptionalBinder(binder(), StoreKeyProvider.class).setBinding().toInstance(keys);
        OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
            .toInstance(GrpcServerSettings.inProcess(name));
        OptionalBinder.newOptionalBinder(binder(), StoreStorage.class).setBinding().toInstance(storage);
        OptionalBinder.newOptionalBinder(binder(), CallerAuthentication.class).setBinding()
            .toInstance(callers.authentication());
      }
    });
    injectors.add(injector);
    servers.add(injector.getInstance(JwoGrpcServer.class).start());
    channel = InProcessChannelBuilder.forName(name).build();
    channels.add(channel);
  }

  /** The latest injector. */
  public Injector injector() {
    return injector;
  }

  /** The channel to the latest server, without credentials. */
  public ManagedChannel channel() {
    return channel;
  }

  /** The token issuer the servers trust. */
  public TokenIssuer callers() {
    return callers;
  }

  /** The channel to the latest server as a caller in the given role. */
  public Channel as(Role role) {
    return callers.as(channel, role);
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(s -> s.shutdown(Duration.ofSeconds(5)));
    injectors.forEach(i -> i.getInstance(VisitPayments.class).close());
  }
}
