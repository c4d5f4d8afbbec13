package dev.jwo.server.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.vault.VaultMasterKey;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.server.StoreModules;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.inject.StorageModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jwo serve}: runs a store's gRPC server until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve a store over gRPC: sensor ingest, sessions, carts, receipts, health and reflection. "
        + "Restarted on the same storage, it first replays the input it had acknowledged.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--store", required = true, paramLabel = "FILE", description = "the store's store.json")
  Path store;

  @Option(names = "--port", defaultValue = "" + CoreModule.DEFAULT_PORT, paramLabel = "PORT",
      description = "TCP port (0 picks a free one; default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; serve TLS only")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key for --tls-cert")
  @Nullable Path tlsKey;

  @Mixin StorageOptions storage = new StorageOptions();

  @Option(names = "--vault-key", paramLabel = "FILE",
      description = "the biometric vault's master key file, created on first start (default: vault.key in the "
          + "data directory)")
  @Nullable Path vaultKey;

  @Mixin ModuleOptions modules = new ModuleOptions();

  @Override
  public Integer call() throws Exception {
    StoreLayout layout = StoreLogReader.readStore(store);
    GrpcServerSettings settings = GrpcServerSettings.onPort(port);
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      settings = settings.withTls(tlsCert, tlsKey);
    }
    GrpcServerSettings chosen = settings;
    List<Module> extra = new ArrayList<>();
    extra.add(binder ->
        OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class).setBinding().toInstance(chosen));
    StorageSettings storageSettings = storage.settings();
    extra.add(new StorageModule(storageSettings));
    VaultMasterKey masterKey = VaultKeyFile.load(vaultKey != null ? vaultKey : storage.data.resolve("vault.key"));
    extra.add(binder -> OptionalBinder.newOptionalBinder(binder, VaultMasterKey.class).setBinding()
        .toInstance(masterKey));
    extra.addAll(modules.modules());
    Injector injector = Guice.createInjector(StoreModules.forStore(layout, extra.toArray(Module[]::new)));
    StoreStorage stored = injector.getInstance(StoreStorage.class);
    System.out.println("jwo keeps store " + layout.storeId() + " in " + stored.describe());
    JwoGrpcServer server = injector.getInstance(JwoGrpcServer.class).start();
    System.out.println("jwo serving store " + layout.storeId() + " on port " + server.port());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown(Duration.ofSeconds(5));
      injector.getInstance(VisitPayments.class).close();
      stored.close();
    }, "jwo-shutdown"));
    server.awaitTermination();
    return 0;
  }
}
