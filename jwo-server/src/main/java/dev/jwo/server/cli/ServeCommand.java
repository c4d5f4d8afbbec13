package dev.jwo.server.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditCheckpoints;
import dev.jwo.compliance.audit.AuditVerification;
import dev.jwo.compliance.audit.FileAuditCheckpoints;
import dev.jwo.compliance.keys.KeyFileProvider;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenKey;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.payments.StoreTables;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.server.StoreModules;
import dev.jwo.storage.StorageSettings;
import dev.jwo.storage.inject.StorageModule;
import dev.jwo.server.ops.OperationsEndpoint;
import dev.jwo.server.ops.StoreMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

  @Option(names = "--host", defaultValue = GrpcServerSettings.LOOPBACK, paramLabel = "ADDRESS",
      description = "address to bind gRPC and the metrics endpoint to (default ${DEFAULT-VALUE}, this machine "
          + "only; 0.0.0.0 binds every address, which needs TLS or --allow-plaintext)")
  String host = GrpcServerSettings.LOOPBACK;

  @Option(names = "--allow-plaintext",
      description = "serve without TLS on an address beyond loopback (calls and their tokens can then be read on"
          + " the network; for a trusted, isolated network only)")
  boolean allowPlaintext;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "serve Prometheus metrics (GET /metrics) and health (GET /health: 200 SERVING, 503 otherwise) "
          + "over HTTP on this port of --host (0 picks a free one); not served unless given")
  @Nullable Integer metricsPort;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; serve TLS only")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key for --tls-cert")
  @Nullable Path tlsKey;

  @Mixin StorageOptions storage = new StorageOptions();

  @Mixin KeyOptions keyOptions = new KeyOptions();

  @Option(names = "--audit-checkpoints", paramLabel = "DIR",
      description = "the folder where keyed checkpoints of the audit chain's head are appended, outside the database"
          + " (default: the key folder, or the data directory when the keys come from the environment); keep it on"
          + " other media, append-only")
  @Nullable Path auditCheckpoints;

  @Option(names = "--token-key", paramLabel = "FILE",
      description = "the store's token signing key (PEM), created on first start, never inside --data (default:"
          + " the key provider's: " + KeyFileProvider.TOKEN_KEY_FILE + " in the key folder, or JWO_TOKEN_KEY);"
          + " jwo token issues callers' tokens with it")
  @Nullable Path tokenKey;

  @Option(names = "--client-ca", paramLabel = "FILE",
      description = "PEM CA certificate(s) that sign client certificates (subject CN=<caller>, OU=<role>); "
          + "needs --tls-cert")
  @Nullable Path clientCa;

  @Mixin ModuleOptions modules = new ModuleOptions();

  @Mixin StoreSettingsOption settingsFile = new StoreSettingsOption();

  @Mixin RecoveryOptions recovery = new RecoveryOptions();

  @Override
  public Integer call() throws Exception {
    StoreLayout layout = StoreLogReader.readStore(store);
    Optional<StoreTables> tables = settingsFile.tables(store, layout);
    GrpcServerSettings settings = GrpcServerSettings.onPort(port).withHost(host);
    if (tlsCert == null && tlsKey == null && !allowPlaintext && !InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException("serving on " + host + ", beyond this machine, needs TLS: give --tls-cert"
          + " and --tls-key (or --allow-plaintext to accept that calls and tokens travel readable)");
    }
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      TlsKeyFiles.check(tlsCert, tlsKey);
      settings = settings.withTls(tlsCert, tlsKey);
    }
    StorageSettings storageSettings = storage.settings();
    DataFolderLock folderLock = storage.jdbcUrl == null ? DataFolderLock.acquire(storage.data, "jwo serve") : null;
    StoreKeyProvider keys;
    try {
      keys = keyOptions.provider(System.getenv(), storage.data, storage.jdbcUrl == null, System.out);
    } catch (IllegalArgumentException e) {
      if (folderLock != null) {
        folderLock.close();
      }
      throw e;
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GrpcServerSettings chosen = settings;
    TokenKey signing;
    String tokenKeyOptions;
    try {
      if (tokenKey != null) {
        signing = KeyFileProvider.tokenKeyIn(KeyOptions.outsideData(tokenKey, storage.data), true);
        tokenKeyOptions = "--token-key " + tokenKey;
      } else if (keyOptions.devKeys) {
        // Held in memory like the other dev keys; written outside the data so that jwo token can sign with it.
        signing = keys.tokenKey();
        Path folder = Files.createTempDirectory("jwo-dev-token-key");
        Path file = folder.resolve(KeyFileProvider.TOKEN_KEY_FILE);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, signing.toPem(), StandardCharsets.US_ASCII);
        folder.toFile().deleteOnExit();
        file.toFile().deleteOnExit();
        tokenKeyOptions = "--token-key " + file;
      } else {
        signing = keys.tokenKey();
        tokenKeyOptions = keyOptions.asArguments();
      }
    } catch (RuntimeException | IOException e) {
      if (folderLock != null) {
        folderLock.close();
      }
      throw e;
    }
    CallerAuthentication callers = CallerAuthentication.tokens(signing.verifier(layout.storeId().value()));
    if (clientCa != null) {
      if (tlsCert == null) {
        throw new IllegalArgumentException("--client-ca needs TLS: give --tls-cert and --tls-key too");
      }
      callers = callers.withClientCa(clientCa);
    }
    CallerAuthentication authentication = callers;
    List<Module> extra = new ArrayList<>();
    extra.add(binder ->
        OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class).setBinding().toInstance(chosen));
    extra.add(binder -> OptionalBinder.newOptionalBinder(binder, CallerAuthentication.class).setBinding()
        .toInstance(authentication));
    extra.add(binder -> OptionalBinder.newOptionalBinder(binder, MeterRegistry.class).setBinding()
        .toInstance(metrics));
    extra.add(new StorageModule(storageSettings));
    extra.add(recovery.module());
    extra.add(binder -> OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding()
        .toInstance(keys));
    Path checkpointFolder = auditCheckpoints != null ? auditCheckpoints
        : keys instanceof KeyFileProvider files && files.vaultKeyFile().toAbsolutePath().getParent() != null
            ? files.vaultKeyFile().toAbsolutePath().getParent() : storage.data;
    AuditCheckpoints checkpoints = FileAuditCheckpoints.in(checkpointFolder, layout.storeId().value());
    extra.add(binder -> OptionalBinder.newOptionalBinder(binder, AuditCheckpoints.class).setBinding()
        .toInstance(checkpoints));
    tables.ifPresent(t -> extra.add(t.module()));
    extra.addAll(modules.modules());
    Injector injector = Guice.createInjector(StoreModules.forStore(layout, extra.toArray(Module[]::new)));
    StoreStorage stored = injector.getInstance(StoreStorage.class);
    System.out.println("jwo keeps store " + layout.storeId() + " in " + stored.describe() + ", with "
        + keys.describe() + " and audit " + checkpoints.describe());
    settingsFile.file(store).ifPresent(file -> System.out.println("tax and restricted items as " + file
        + " declares them"));
    AuditVerification audit = injector.getInstance(AuditChain.class).verify();
    if (!audit.valid()) {
      throw new IllegalStateException("the audit chain does not verify (record " + audit.firstBadPosition() + ": "
          + audit.problem() + "); it was tampered with, or the keys or checkpoints are another store's. Keep the"
          + " data as evidence and investigate before serving.");
    }
    StoreMeters meters = StoreMeters.register(injector);
    JwoGrpcServer server = injector.getInstance(JwoGrpcServer.class);
    // Health answers NOT_SERVING while the store recovers, so the endpoint starts first.
    OperationsEndpoint operations = metricsPort == null ? null
        : OperationsEndpoint.start(new InetSocketAddress(InetAddress.getByName(host), metricsPort), metrics, server::servingStatus);
    if (operations != null) {
      System.out.println("jwo metrics for store " + layout.storeId() + " on http://" + host + ":"
          + operations.port() + "/metrics");
    }
    server.start();
    System.out.println("jwo serving store " + layout.storeId() + " on port " + server.port() + " of " + host
        + (tlsCert != null ? " with TLS" : " WITHOUT TLS"));
    if (tlsCert == null) {
      System.out.println("WARNING: calls and their tokens travel in plaintext; use it on loopback only, and give"
          + " --tls-cert and --tls-key for anything else");
    }
    System.out.println("every call needs a bearer token signed by the store's token key; make one with:");
    System.out.println("  jwo token --store " + store + " " + tokenKeyOptions
        + " --role ROLE --subject NAME [--party CREDENTIAL for shopper-app] [--ttl 12h]");
    System.out.println("  roles: " + Role.wireNames() + " (permissions: docs/SECURITY.md)");
    if (clientCa != null) {
      System.out.println("or a client certificate signed by " + clientCa + " with subject CN=<caller>, OU=<role>");
    }
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown(Duration.ofSeconds(5));
      injector.getInstance(AuditChain.class).checkpoint();
      if (operations != null) {
        operations.close();
      }
      meters.close();
      injector.getInstance(VisitPayments.class).close();
      stored.close();
      if (folderLock != null) {
        try {
          folderLock.close();
        } catch (IOException e) {
          // The lock goes with the process anyway.
        }
      }
    }, "jwo-shutdown"));
    server.awaitTermination();
    return 0;
  }
}
