package dev.jwo.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operations endpoint on a real loopback HTTP server. */
class OperationsEndpointTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<ServingStatus> status = new AtomicReference<>(ServingStatus.NOT_SERVING);
  private final HttpClient http = HttpClient.newHttpClient();
  private OperationsEndpoint endpoint;

  @BeforeEach
  void start() {
    endpoint = OperationsEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry, status::get);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreScrapedInThePrometheusTextFormat() throws Exception {
    registry.counter("jwo.ingest.messages", "source", "gate-1", "outcome", "rejected", "reason", "too_large")
        .increment(3);

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(OperationsEndpoint.PROMETHEUS_TEXT);
    assertThat(response.body())
        .contains("jwo_ingest_messages_total{outcome=\"rejected\",reason=\"too_large\",source=\"gate-1\"} 3.0");
  }

  @Test
  void healthFollowsTheStoresServingState() throws Exception {
    HttpResponse<String> recovering = send("GET", "/health");
    status.set(ServingStatus.SERVING);
    HttpResponse<String> serving = send("GET", "/health");

    assertThat(recovering.statusCode()).isEqualTo(503);
    assertThat(recovering.body()).isEqualTo("NOT_SERVING\n");
    assertThat(serving.statusCode()).isEqualTo(200);
    assertThat(serving.body()).isEqualTo("SERVING\n");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    HttpResponse<String> unknown = send("GET", "/admin");
    HttpResponse<String> post = send("POST", "/metrics");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("/metrics").contains("/health");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void aPortInUseSaysWhatToDo() {
    InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.port());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperationsEndpoint.start(taken, registry, status::get))
        .hasMessageContaining("port " + endpoint.port())
        .hasMessageContaining("--metrics-port");
  }
}
