package dev.jwo.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.security.Role;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.payments.v1.ListReceiptsRequest;
import dev.jwo.payments.v1.ListReceiptsResponse;
import dev.jwo.payments.v1.Receipt;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.payments.v1.Status;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code jwo serve} as its own process on a loopback port, streams a small store's sensor events through
 * the ingest service, and reads the receipts back over the receipt service.
 */
class ServeLoopbackIT {
  static final long START = 1_764_410_400_000L;

  @TempDir Path dir;
  ServerProcess server;
  ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void streamsAStoreLogThroughIngestAndReadsBackTheReceipts() throws Exception {
    StoreScript script = new StoreScript(StoreScript.smallStore("it-001", "US-IL"), START, 5);
    script.shopper("c-it-1", 0).take("A1-1", 1);
    script.shopper("c-it-2", 5_000).take("A1-2", 2).take("A1-4", 1);
    script.shopper("c-it-3", 9_000);
    StoreLayout layout = script.layout();
    Path store = dir.resolve("store.json");
    StoreLogWriter.writeStore(store, layout);

    server = ServerProcess.start(List.of(), List.of("--store", store.toString(), "--data", dir.resolve("data").toString(),
        "--dev-keys"));
    channel = server.channel;
    assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService("jwo.core.v1.SensorIngestService").build())
            .getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    List<SensorEvent> events = script.events();
    Gateway gateway = new Gateway("gateway-1", events, events.get(events.size() - 1).ts() + 10_000);
    io.grpc.StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
        io.grpc.StatusRuntimeException.class, () -> ReceiptServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS).listReceipts(ListReceiptsRequest.getDefaultInstance()));
    assertThat(refused.getStatus().getCode()).as("a call without a token").isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    assertThat(server.output()).anySatisfy(line -> assertThat(line).contains("jwo token --store"));
    gateway.sendUntil(server.as(Role.SENSOR_GATEWAY), gateway.size());
    List<IngestAck> acks = gateway.acks();
    assertThat(acks).hasSize(events.size() + 1);
    assertThat(acks).allSatisfy(a -> assertThat(a.getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED));

    List<Receipt> receipts = awaitReceipts(3);
    assertThat(receipts).extracting(Receipt::getStatus).containsOnly(Status.CHARGED);
    assertThat(receipts).extracting(r -> r.getTotal().getMinor()).containsExactlyInAnyOrder(199L, 2 * 349L + 249L, 0L);
    assertThat(receipts).allSatisfy(r -> assertThat(r.getCredentialPseudonym()).matches("subj:[0-9a-f]{32}"));
  }

  private List<Receipt> awaitReceipts(int count) throws InterruptedException {
    ReceiptServiceGrpc.ReceiptServiceBlockingStub receipts = ReceiptServiceGrpc.newBlockingStub(server.as(Role.STAFF));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      ListReceiptsResponse page = receipts.withDeadlineAfter(5, TimeUnit.SECONDS)
          .listReceipts(ListReceiptsRequest.getDefaultInstance());
      if (page.getReceiptsCount() >= count || System.nanoTime() > deadline) {
        return page.getReceiptsList();
      }
      Thread.sleep(100);
    }
  }

}
