package dev.jwo.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.IngestStream;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.security.Caller;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.v1.SensorEventMessage;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT gateway against real Mosquitto brokers: the machine's on 127.0.0.1:1883, and one of the test's own that
 * it restarts while readings flow. A real store (core wiring, in-process gRPC) takes the readings; the test checks
 * the store's journal: every published reading recorded exactly once, in order per topic.
 */
class MqttSensorGatewayIT {
  private static final String SYSTEM_BROKER = "tcp://127.0.0.1:1883";

  @TempDir Path dir;
  private final String store = "mqtt-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private Injector injector;
  private JwoGrpcServer server;
  private ManagedChannel channel;
  private IngestStream ingest;
  private TokenIssuer callers;

  @BeforeEach
  void startStore() {
    StoreLayout layout = StoreLogReader.parseStore("store.json", """
        {
          "format": "jwo-store/1", "store_id": "%s", "jurisdiction": "US-IL", "currency": "USD",
          "floor": {"width_m": 24.0, "depth_m": 16.0},
          "gates": [{"id": "in-1", "kind": "ENTRY", "x": 2.0, "y": 0.0},
                    {"id": "out-1", "kind": "EXIT", "x": 22.0, "y": 0.0}],
          "products": [{"sku": "0001", "name": "Water", "price_minor": 199, "unit_weight_g": 520.0,
                        "weight_sd_g": 4.0, "age_restricted": false}],
          "bins": [{"id": "A1-1", "sku": "0001", "x": 4.0, "y": 3.0, "z": 1.2, "width_m": 0.4, "initial_qty": 12},
                   {"id": "A1-2", "sku": "0001", "x": 4.5, "y": 3.0, "z": 1.2, "width_m": 0.4, "initial_qty": 12}],
          "cameras": []
        }
        """.formatted(store));
    String name = "mqtt-gateway-" + store;
    callers = TokenIssuer.withNewKey(layout.storeId().value(), Clock.systemUTC());
    injector = Guice.createInjector(new CoreModule(layout), binder -> {
      OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class).setBinding()
          .toInstance(GrpcServerSettings.inProcess(name));
      OptionalBinder.newOptionalBinder(binder, MeterRegistry.class).setBinding().toInstance(registry);
      OptionalBinder.newOptionalBinder(binder, CallerAuthentication.class).setBinding()
          .toInstance(callers.authentication());
    });
    server = injector.getInstance(JwoGrpcServer.class).start();
    channel = InProcessChannelBuilder.forName(name).build();
    ingest = new IngestStream(channel,
        callers.issue(new Caller(Role.SENSOR_GATEWAY, "gw-" + store, null), Duration.ofHours(1)));
  }

  @AfterEach
  void stopStore() {
    ingest.close();
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(2));
  }

  @Test
  void readingsFromTheMachinesBrokerAreRecordedOnceEach() throws Exception {
    try (MqttSensorGateway gateway = new MqttSensorGateway(
            new MqttGatewaySettings(SYSTEM_BROKER, "gw-" + store, store, Duration.ofMillis(200)), ingest, registry)
            .start();
        Publisher cells = new Publisher(SYSTEM_BROKER, "cells-" + store)) {
      awaitConnected(gateway);
      cells.publish(0, 100);
      // An unreadable payload is dropped (and acknowledged), without stopping what follows.
      cells.publishUntilTaken(LoadCellReading.topic(store, "cell-7", "A1-1"),
          "{\"grams\": 1}".getBytes(StandardCharsets.UTF_8));
      cells.publish(100, 120);
      cells.publishEndMark();

      List<SensorEventMessage> recorded = awaitSettled(gateway, 120, 2);

      assertRecordedOnceInOrder(recorded, 120);
      assertThat(registry.counter("jwo.gateway.mqtt.readings", "outcome", "unreadable").count()).isEqualTo(2);
    }
  }

  @Test
  void aBrokerRestartLosesNothingAndDuplicatesNothing() throws Exception {
    try (MosquittoBroker broker = new MosquittoBroker(dir)) {
      broker.start();
      try (MqttSensorGateway gateway = new MqttSensorGateway(
              new MqttGatewaySettings(broker.uri(), "gw-" + store, store, Duration.ofMillis(200)), ingest, registry)
              .start();
          Publisher cells = new Publisher(broker.uri(), "cells-" + store)) {
        awaitConnected(gateway);
        cells.publish(0, 150);
        // Stopped while the gateway may still have readings in flight: the broker saves them unacknowledged.
        broker.stop();
        // Published during and after the outage: the publisher holds each reading until the broker has it.
        Thread publishing = new Thread(() -> {
          try {
            cells.publish(150, 300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        publishing.start();
        await("the gateway saw the broker go and a reading waits to be published", Duration.ofSeconds(20),
            () -> !gateway.connected() && cells.refused.get() > 0);
        broker.start();
        publishing.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(publishing.isAlive()).as("publishing ended").isFalse();
        cells.publishEndMark();

        List<SensorEventMessage> recorded;
        try {
          recorded = awaitSettled(gateway, 300, 1);
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "; the broker logged:\n" + broker.log(), e);
        }

        System.out.printf("broker restart: 300 readings published (%d attempts refused while the broker was away),"
            + " %d recorded; the gateway saw %.0f accepted, %.0f already received, %.0f reconnect attempts%n",
            cells.refused.get(), recorded.size(),
            registry.counter("jwo.gateway.mqtt.readings", "outcome", "accepted").count(),
            registry.counter("jwo.gateway.mqtt.readings", "outcome", "already_received").count(),
            registry.counter("jwo.gateway.mqtt.reconnects").count());
        assertRecordedOnceInOrder(recorded, 300);
        assertThat(registry.counter("jwo.gateway.mqtt.readings", "outcome", "rejected").count()).isZero();
        assertThat(registry.counter("jwo.gateway.mqtt.sessions_lost").count()).isZero();
      }
    }
  }

  /** A broker that forgets sessions at a restart loses what was queued; the gateway says so and carries on. */
  @Test
  void aBrokerThatForgetsTheSessionIsReportedAndTheGatewayResubscribes() throws Exception {
    try (MosquittoBroker broker = new MosquittoBroker(dir, false)) {
      broker.start();
      try (MqttSensorGateway gateway = new MqttSensorGateway(
              new MqttGatewaySettings(broker.uri(), "gw-" + store, store, Duration.ofMillis(200)), ingest, registry)
              .start()) {
        awaitConnected(gateway);
        broker.stop();
        await("the gateway saw the broker go", Duration.ofSeconds(20), () -> !gateway.connected());
        broker.start();
        awaitConnected(gateway);
        try (Publisher cells = new Publisher(broker.uri(), "cells-" + store)) {
          cells.publish(0, 20);
          cells.publishEndMark();
          List<SensorEventMessage> recorded = awaitSettled(gateway, 20, 1);
          assertRecordedOnceInOrder(recorded, 20);
        }
        assertThat(registry.counter("jwo.gateway.mqtt.sessions_lost").count()).isEqualTo(1);
      }
    }
  }

  private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + limit.toSeconds() + " s in vain until " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private static void awaitConnected(MqttSensorGateway gateway) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!gateway.connected() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(gateway.connected()).as("the gateway connected to the broker").isTrue();
  }

  /**
   * Waits until the gateway has taken the publisher's end mark (an unreadable payload published after every
   * reading, so the broker has delivered everything before it; {@code unreadable} counts the end mark and any
   * unreadable payload before it), the store's journal holds {@code count} messages and the gateway has
   * acknowledged every delivery to the broker. Nothing is delivered again after that, so the journal is final.
   */
  private List<SensorEventMessage> awaitSettled(MqttSensorGateway gateway, int count, int unreadable)
      throws Exception {
    await("the gateway took the end mark", Duration.ofSeconds(20),
        () -> registry.counter("jwo.gateway.mqtt.readings", "outcome", "unreadable").count() >= unreadable);
    List<List<SensorEventMessage>> last = new ArrayList<>(List.of(List.of()));
    try {
      await(count + " readings recorded and every delivery acknowledged", Duration.ofSeconds(20), () -> {
        try {
          last.set(0, journaled());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return last.get(0).size() >= count && gateway.connected() && gateway.unacknowledged() == 0;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (recorded " + last.get(0).size() + ", connected "
          + gateway.connected() + ", unacknowledged " + gateway.unacknowledged() + "; gateway outcomes "
          + registry.find("jwo.gateway.mqtt.readings").counters().stream()
              .map(c -> c.getId().getTag("outcome") + "=" + (long) c.count()).toList()
          + "; recorded per topic " + last.get(0).stream()
              .map(m -> m.getWeight().getBin() + "#" + m.getSequence()).toList() + ")", e);
    }
    return last.get(0);
  }

  private List<SensorEventMessage> journaled() throws Exception {
    StoreStorage storage = injector.getInstance(StoreStorage.class);
    List<SensorEventMessage> messages = new ArrayList<>();
    for (JournalEntry entry : storage.journal().read(IngestLog.STREAM, 0, 100_000)) {
      messages.addAll(IngestLog.decode(entry));
    }
    return messages;
  }

  /** Each reading {@code 1..count} of both bins' topics recorded exactly once, each topic's in order. */
  private void assertRecordedOnceInOrder(List<SensorEventMessage> recorded, int count) {
    Set<String> seen = new HashSet<>();
    long[] last = new long[2];
    for (SensorEventMessage message : recorded) {
      assertThat(seen.add(message.getSource() + "#" + message.getSequence()))
          .as("recorded once: %s %s", message.getSource(), message.getSequence()).isTrue();
      int bin = message.getWeight().getBin().equals("A1-1") ? 0 : 1;
      assertThat(message.getSequence()).isGreaterThan(last[bin]);
      last[bin] = message.getSequence();
    }
    assertThat(recorded).hasSize(count);
  }

  /** A load-cell controller publishing readings of bins A1-1 and A1-2 in turn, at QoS 1, riding out outages. */
  private final class Publisher implements AutoCloseable {
    final MqttClient client;
    /** How many times a publication found the broker away. */
    final AtomicInteger refused = new AtomicInteger();
    private final MqttConnectOptions options = new MqttConnectOptions();
    private long lastTs;

    Publisher(String uri, String clientId) throws MqttException {
      client = new MqttClient(uri, clientId, new MemoryPersistence());
      options.setCleanSession(false);
      options.setConnectionTimeout(2);
      client.connect(options);
    }

    /** Publishes readings {@code from+1..to}, alternating bins (seq per topic), each until the broker has it. */
    void publish(int from, int to) throws InterruptedException {
      for (int i = from; i < to; i++) {
        String bin = i % 2 == 0 ? "A1-1" : "A1-2";
        // A cell reports one value per instant: readings published within one millisecond get the next one.
        lastTs = Math.max(System.currentTimeMillis(), lastTs + 1);
        LoadCellReading reading = new LoadCellReading("cell-7", bin, i / 2 + 1, lastTs, 6240 - 520.0 * (i % 5));
        publishUntilTaken(LoadCellReading.topic(store, reading.device(), reading.bin()), reading.payload());
      }
    }

    /** Publishes an unreadable payload after the readings: the gateway counts it once it has arrived. */
    void publishEndMark() throws InterruptedException {
      publishUntilTaken(LoadCellReading.topic(store, "cell-7", "A1-1"), "end".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Publishes at QoS 1 until the broker has it, as a controller does: a refusal (the broker away, or Paho's
     * "too many publishes in progress" while it still counts the previous publication's acknowledgement as in
     * flight) is retried.
     */
    void publishUntilTaken(String topic, byte[] payload) throws InterruptedException {
      while (true) {
        try {
          if (!client.isConnected()) {
            client.connect(options);
          }
          client.publish(topic, payload, 1, false);
          return;
        } catch (MqttException e) {
          refused.incrementAndGet();
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
    }

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
  }
}
