package dev.jwo.core.grpc;

import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.PermissionTable;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.TransmitStatusRuntimeExceptionInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gRPC server of a store. It serves every {@link BindableService} contributed through Guice (see
 * {@link dev.jwo.core.inject.CoreModule#services}), with the standard health and reflection services, a default
 * deadline for unary calls, and a Micrometer timer and counters for every call. Every call but health and
 * reflection is authenticated ({@link CallerAuthentication}, required) and authorized by the merged
 * {@link PermissionTable}s of the modules ({@link dev.jwo.core.inject.CoreModule#permissions}): deny by default.
 */
@Singleton
public final class JwoGrpcServer {
  private static final Logger log = LoggerFactory.getLogger(JwoGrpcServer.class);

  private final GrpcServerSettings settings;
  private final List<BindableService> services;
  private final List<ServerInterceptor> interceptors;
  private final MeterRegistry registry;
  private final IngestLog ingestLog;
  private final PermissionTable permissions;
  private final Optional<CallerAuthentication> authentication;
  private final Clock clock;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ScheduledExecutorService deadlineTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "jwo-grpc-deadlines");
    t.setDaemon(true);
    return t;
  });
  private @Nullable Server server;
  private volatile boolean ingestStalled;
  private volatile ServingStatus status = ServingStatus.NOT_SERVING;
  private @Nullable ScheduledFuture<?> watchdog;

  @Inject
  public JwoGrpcServer(
      GrpcServerSettings settings,
      Set<BindableService> services,
      Set<ServerInterceptor> interceptors,
      MeterRegistry registry,
      IngestLog ingestLog,
      Set<PermissionTable> permissions,
      Optional<CallerAuthentication> authentication,
      Clock clock) {
    this.settings = settings;
    this.services = services.stream()
        .sorted(Comparator.comparing(s -> s.bindService().getServiceDescriptor().getName()))
        .toList();
    this.interceptors = List.copyOf(interceptors);
    this.registry = registry;
    this.ingestLog = ingestLog;
    this.permissions = PermissionTable.merge(permissions);
    this.authentication = authentication;
    this.clock = clock;
  }

  /** The descriptors of the services this server authorizes calls to (health and reflection aside). */
  public List<ServiceDescriptor> services() {
    return services.stream().map(s -> s.bindService().getServiceDescriptor()).toList();
  }

  /** The merged permission table the server enforces. */
  public PermissionTable permissions() {
    return permissions;
  }

  /**
   * Starts serving: binds the port at once, with health {@code NOT_SERVING} and every call but health and
   * reflection refused with {@code UNAVAILABLE}, replays the sensor input journaled by an earlier run on the same
   * storage (see {@link IngestLog#recover()}), then turns health to {@code SERVING} and returns. A watchdog turns
   * health to {@code NOT_SERVING} while the ingest log stalls.
   *
   * @throws UncheckedIOException if the port cannot be bound or the TLS files cannot be read
   * @throws IllegalStateException if already started, or if no {@link CallerAuthentication} is bound
   */
  public synchronized JwoGrpcServer start() {
    if (server != null) {
      throw new IllegalStateException("the gRPC server is already started");
    }
    CallerAuthentication callers = authentication.orElseThrow(() -> new IllegalStateException(
        "the gRPC server has no way to authenticate callers and never serves without one: bind a"
            + " CallerAuthentication (jwo serve makes one from the store's token key; tests issue their own tokens)"));
    if (callers.clientCa() != null && settings.tlsCertificateChain() == null && settings.inProcessName() == null) {
      throw new IllegalStateException("client certificates need TLS: give the server a certificate and key too");
    }
    ServerBuilder<?> builder = newBuilder(callers);
    List<ServerInterceptor> chain = new ArrayList<>();
    // Innermost: a StatusRuntimeException thrown by a service reaches the client with its status, not as UNKNOWN.
    chain.add(TransmitStatusRuntimeExceptionInterceptor.instance());
    chain.addAll(interceptors);
    // ServerInterceptors.intercept runs the last interceptor first: metrics see every call, deadlines wrap the handler.
    chain.add(new DefaultDeadlineInterceptor(settings.defaultUnaryDeadline(), deadlineTimer));
    // Runs after readiness: ownership checks need the recovered store.
    chain.add(new CallerInterceptor(callers, permissions, clock));
    chain.add(new ReadinessInterceptor());
    chain.add(new MetricCollectingServerInterceptor(registry));
    health.setStatus("", ServingStatus.NOT_SERVING);
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(service, chain));
      health.setStatus(service.bindService().getServiceDescriptor().getName(), ServingStatus.NOT_SERVING);
    }
    builder.addService(health.getHealthService());
    builder.addService(ProtoReflectionServiceV1.newInstance());
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the gRPC server on port " + settings.port() + ": " + e.getMessage(), e);
    }
    log.info("gRPC server listening {}; recovering the store before serving", where());
    if (settings.inProcessName() == null && settings.tlsCertificateChain() == null) {
      log.warn("gRPC server on port {} speaks PLAINTEXT on every interface: tokens and personal data can be read on"
          + " the network; keep it behind loopback or give it a TLS certificate and key", port());
    }
    ingestLog.recover();
    setServing(ServingStatus.SERVING);
    watchdog = deadlineTimer.scheduleWithFixedDelay(this::watchIngest, 1, 1, TimeUnit.SECONDS);
    log.info("gRPC server serving {} services {}", services.size(), where());
    return this;
  }

  /** Turns health to NOT_SERVING while the ingest log stalls, and back once it moves again. */
  private void watchIngest() {
    Optional<Duration> stalled = ingestLog.stalledFor();
    if (stalled.isPresent() && !ingestStalled) {
      ingestStalled = true;
      log.error("sensor input has waited {} s without being recorded; health is NOT_SERVING until it moves again",
          stalled.get().toSeconds());
      setServing(ServingStatus.NOT_SERVING);
    } else if (stalled.isEmpty() && ingestStalled) {
      ingestStalled = false;
      log.info("sensor input moves again; health is SERVING");
      setServing(ServingStatus.SERVING);
    }
  }

  private void setServing(ServingStatus status) {
    this.status = status;
    health.setStatus("", status);
    for (BindableService service : services) {
      health.setStatus(service.bindService().getServiceDescriptor().getName(), status);
    }
  }

  /** Refuses calls until the store has recovered its journaled input. */
  private final class ReadinessInterceptor implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      if (!ingestLog.ready()) {
        call.close(Status.UNAVAILABLE.withDescription(
            "the store is recovering its journaled input after a restart; try again in a moment"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  private ServerBuilder<?> newBuilder(CallerAuthentication callers) {
    if (settings.inProcessName() != null) {
      return InProcessServerBuilder.forName(settings.inProcessName());
    }
    ServerCredentials credentials = InsecureServerCredentials.create();
    if (settings.tlsCertificateChain() != null && settings.tlsPrivateKey() != null) {
      try {
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
            .keyManager(new java.io.ByteArrayInputStream(Files.readAllBytes(settings.tlsCertificateChain())),
                new java.io.ByteArrayInputStream(TlsKeys.pkcs8Pem(settings.tlsPrivateKey())));
        if (callers.clientCa() != null) {
          tls.trustManager(callers.clientCa().toFile()).clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
        }
        credentials = tls.build();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the TLS certificate or key: " + e.getMessage(), e);
      }
    }
    String host = settings.host();
    if (host == null) {
      warnIfPlaintext(credentials, "every address of this machine");
      return Grpc.newServerBuilderForPort(settings.port(), credentials);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UncheckedIOException("cannot bind the gRPC server to '" + host + "': no such host or address; "
          + "give an IP address of this machine, e.g. " + GrpcServerSettings.LOOPBACK, e);
    }
    if (!address.isLoopbackAddress()) {
      warnIfPlaintext(credentials, address.getHostAddress());
    }
    return NettyServerBuilder.forAddress(new InetSocketAddress(address, settings.port()), credentials);
  }

  private static void warnIfPlaintext(ServerCredentials credentials, String where) {
    if (credentials instanceof InsecureServerCredentials) {
      log.warn("serving plaintext gRPC on {}: anyone on the network can read and send sensor input and "
          + "payments; serve TLS (a certificate and key) or bind the loopback address behind a TLS proxy", where);
    }
  }

  /** The bound port; useful when the settings asked for port 0. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the gRPC server is not started");
    }
    return server.getPort();
  }

  /**
   * Whether the store takes calls now: {@code SERVING} once recovered and while input moves, {@code NOT_SERVING}
   * before, while the ingest log stalls, and after {@link #shutdown}. The same state as the gRPC health service's.
   */
  public ServingStatus servingStatus() {
    return status;
  }

  /** The health service's state, to mark the store not serving during maintenance. */
  public HealthStatusManager health() {
    return health;
  }

  /** Stops taking calls, lets running calls finish within {@code grace}, then cancels the rest. */
  public synchronized void shutdown(Duration grace) {
    Server running = server;
    if (running == null) {
      return;
    }
    status = ServingStatus.NOT_SERVING;
    health.enterTerminalState();
    running.shutdown();
    try {
      if (!running.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        running.shutdownNow();
        running.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      ScheduledFuture<?> watching = watchdog;
      if (watching != null) {
        watching.cancel(false);
      }
      deadlineTimer.shutdownNow();
      ingestLog.close();
    }
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    Server running;
    synchronized (this) {
      running = server;
    }
    if (running != null) {
      running.awaitTermination();
    }
  }

  private String where() {
    return settings.inProcessName() != null
        ? "in-process as '" + settings.inProcessName() + "'"
        : "on " + (settings.host() == null ? "every address" : settings.host())
            + " port " + (server == null ? settings.port() : server.getPort())
            + (settings.tlsCertificateChain() != null ? " with TLS" : " without TLS");
  }
}
