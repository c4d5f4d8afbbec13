package dev.jwo.server.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's HTTP endpoint for operations: {@code GET /metrics} answers every meter in the Prometheus text format,
 * {@code GET /health} answers {@code 200 SERVING} while the store takes input and {@code 503 NOT_SERVING} while it
 * recovers, stalls or stops (the gRPC health service's state). Anything else is {@code 404}, other methods
 * {@code 405}. One thread answers, so a scrape never competes with the store for more than one core.
 */
public final class OperationsEndpoint implements AutoCloseable {
  /** Content type of the Prometheus text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(OperationsEndpoint.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private OperationsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and starts answering.
   *
   * @param health the store's serving state, asked at every {@code /health} request
   * @throws UncheckedIOException if the address cannot be bound, with what to do about it
   */
  public static OperationsEndpoint start(
      InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<ServingStatus> health) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics and health on " + address.getHostString() + " port "
          + address.getPort() + ": " + e.getMessage() + "; choose another --metrics-port (0 picks a free one)", e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "jwo-operations-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> answer(exchange, registry, health));
    server.start();
    log.info("metrics on http://{}:{}/metrics, health on /health", address.getHostString(),
        server.getAddress().getPort());
    return new OperationsEndpoint(server, executor);
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry,
      Supplier<ServingStatus> health) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean known = path.equals("/metrics") || path.equals("/health");
      if (!known) {
        send(exchange, 404, "text/plain; charset=utf-8", "no such endpoint: try /metrics or /health\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "text/plain; charset=utf-8", "only GET is answered here\n");
      } else if (path.equals("/metrics")) {
        send(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
      } else {
        ServingStatus status = health.get();
        send(exchange, status == ServingStatus.SERVING ? 200 : 503, "text/plain; charset=utf-8",
            status.name() + "\n");
      }
    } catch (RuntimeException e) {
      log.warn("operations endpoint failed to answer {}: {}", exchange.getRequestURI(), e.toString());
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops answering; a request in progress gets up to a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
