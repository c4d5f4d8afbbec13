package dev.jwo.gateway.mqtt;

import dev.jwo.core.grpc.IngestStream;
import dev.jwo.core.v1.IngestAck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes load-cell readings from an MQTT broker into a store's ingest: subscribes at QoS 1 to
 * {@link LoadCellReading#subscription} with a persistent session, sends each reading to the store over an
 * {@link IngestStream}, and acknowledges it to the broker only once the store has answered it, which the store
 * does only after the reading is durable (or rejected for good: an unreadable payload or a reading the store
 * refuses is acknowledged, counted and logged, since sending it again cannot help). Acknowledgements go to the
 * broker in the order the readings arrived.
 *
 * <p>Nothing is lost and nothing is recorded twice: if the store cannot take a reading (it restarts, or cannot
 * record input), the gateway drops its connection to the broker without acknowledging, reconnects, and the broker
 * delivers again every reading not acknowledged; if the broker restarts or the network fails, the gateway
 * reconnects every {@linkplain MqttGatewaySettings#reconnectDelay reconnect delay} and the broker does the same. A
 * reading delivered twice carries the same {@code seq}, and the store acknowledges it as already received. Once
 * the store failed to take a reading, the gateway sends no later reading of that connection, so that none
 * overtakes it; should one have been under way already, the store still takes the failed reading when it comes
 * again, since it remembers which recent sequences of a source it has (a reading out of order is not lost).
 *
 * <p>The guarantee rests on the broker keeping the gateway's session (subscription and queued readings) while the
 * gateway is away, including across a broker restart. If the broker answers a reconnect without the session, the
 * readings queued for the gateway are gone: the gateway subscribes again, counts it and logs a warning that names
 * the cause.
 *
 * <p>Meters: {@code jwo.gateway.mqtt.readings} by {@code outcome} (accepted, already_received, rejected,
 * unreadable), {@code jwo.gateway.mqtt.reconnects}, {@code jwo.gateway.mqtt.sessions_lost}.
 */
public final class MqttSensorGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttSensorGateway.class);
  private static final long LOG_INTERVAL_MILLIS = 60_000;
  private static final long BLOCKING_CALL_MILLIS = 10_000;

  private final MqttGatewaySettings settings;
  private final IngestStream ingest;
  /** The client of the current connection; each new connection gets a fresh one (see {@link #replaceClient}). */
  private volatile MqttClient client;
  private final MeterRegistry registry;
  private final Counter reconnects;
  private final Counter sessionsLost;
  private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "jwo-mqtt-gateway");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
  /** Readings of the current connection not yet acknowledged to the broker, in arrival order. */
  private final Queue<Delivery> unacknowledged = new ArrayDeque<>();
  /** Counts connections, so that an answer for a reading of an earlier connection is not acknowledged on this one. */
  private long connection;
  /**
   * The connection on which the store failed to take a reading: later readings of it are not sent (the broker
   * delivers them again after the reconnect, behind the failed one), so that they do not reach the store ahead of it.
   */
  private long failedConnection = -1;
  /**
   * Whether the current connection's subscription is in place: until then a reading published to a new session is
   * not delivered to the gateway, so the gateway is not yet ready.
   */
  private volatile boolean subscribed;
  /** Whether the gateway has subscribed on an earlier connection (touched only by the connector thread). */
  private boolean subscribedBefore;
  /** Set when a connection ends: the next one is made with a fresh client (see {@link #replaceClient}). */
  private volatile boolean clientUsed;
  private volatile boolean closed;

  /**
   * @param ingest the store's ingest; the gateway does not close it
   * @throws IllegalArgumentException if the broker URI is not one Paho accepts
   */
  public MqttSensorGateway(MqttGatewaySettings settings, IngestStream ingest, MeterRegistry registry) {
    this.settings = settings;
    this.ingest = ingest;
    this.registry = registry;
    this.reconnects = registry.counter("jwo.gateway.mqtt.reconnects");
    this.sessionsLost = registry.counter("jwo.gateway.mqtt.sessions_lost");
    this.client = newClient(settings);
  }

  private MqttClient newClient(MqttGatewaySettings settings) {
    MqttClient created;
    try {
      created = new MqttClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("cannot use the MQTT broker " + settings.brokerUri() + ": " + e, e);
    }
    created.setManualAcks(true);
    // Every blocking call (connect, subscribe, disconnect) ends within this time: a connection that breaks while
    // connecting can otherwise leave Paho waiting for a CONNACK that never comes.
    created.setTimeToWait(BLOCKING_CALL_MILLIS);
    created.setCallback(new Callback(created));
    return created;
  }

  /**
   * Ends the client of a connection that is over and takes a fresh one under the same client id, so that the
   * broker resumes the same session (the client keeps no state of its own that matters: readings it received and
   * did not acknowledge are delivered again by the broker). Reusing a Paho client after a lost connection can leave
   * acknowledgements of the old connection queued ahead of the new CONNECT, and the connection never completes.
   */
  private void replaceClient() {
    MqttClient old = client;
    synchronized (this) {
      unacknowledged.clear();
      connection++;
    }
    try {
      old.disconnectForcibly(0, 0);
    } catch (MqttException e) {
      log.debug("MQTT forced disconnect of the previous client: {}", e.toString());
    }
    try {
      old.close(true);
    } catch (MqttException e) {
      log.debug("MQTT close of the previous client: {}", e.toString());
    }
    client = newClient(settings);
    clientUsed = false;
  }

  /** Starts connecting, now and whenever the connection is lost; returns at once. */
  public MqttSensorGateway start() {
    ScheduledFuture<?> unused = connector.scheduleWithFixedDelay(this::connectIfNeeded, 0, settings.reconnectDelay().toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** Whether the gateway is connected to the broker and subscribed. */
  public boolean connected() {
    return subscribed && client.isConnected();
  }

  private void connectIfNeeded() {
    if (closed || this.client.isConnected()) {
      return;
    }
    if (clientUsed) {
      replaceClient();
    }
    MqttClient client = this.client;
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(false);
    // MQTT 3.1.1 only: its CONNACK says whether the broker kept the session. Paho's default tries 3.1.1 and, if that
    // attempt fails (a broker still starting refuses it), at once 3.1, whose CONNACK never does: a session kept
    // across a broker restart would then look lost.
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(5);
    options.setKeepAliveInterval(10);
    try {
      synchronized (this) {
        // Answers still on their way belong to the connection that is gone: the broker sends those readings again.
        unacknowledged.clear();
        connection++;
      }
      clientUsed = true;
      subscribed = false;
      boolean sessionPresent = client.connectWithResult(options).getSessionPresent();
      if (subscribedBefore && !sessionPresent) {
        sessionsLost.increment();
        log.warn("the MQTT broker {} kept no session for '{}': readings published while the gateway was away "
            + "were not queued for it and are lost; give the broker a persistent store (Mosquitto: 'persistence "
            + "true' with a folder it can write) and keep the client id stable", settings.brokerUri(),
            settings.clientId());
      }
      // Subscribing again on every connection restores the subscription if the broker lost the session.
      client.subscribe(LoadCellReading.subscription(settings.store()), 1);
      subscribedBefore = true;
      subscribed = true;
      log.info("MQTT gateway connected to {} as '{}', subscribed to {}", settings.brokerUri(), settings.clientId(),
          LoadCellReading.subscription(settings.store()));
    } catch (MqttException e) {
      reconnects.increment();
      logLimited("connect", "MQTT gateway cannot reach the broker " + settings.brokerUri() + " (" + e
          + "); trying again every " + settings.reconnectDelay().toMillis() + " ms");
      if (client.isConnected()) {
        dropConnection();
      }
    }
  }

  /** Ends the connection without acknowledging anything more, so that the broker delivers the rest again. */
  private void dropConnection() {
    try {
      client.disconnectForcibly(0, 1000);
    } catch (MqttException e) {
      log.debug("MQTT disconnect: {}", e.toString());
    }
  }

  private void arrived(MqttClient from, String topic, MqttMessage message) {
    Delivery delivery;
    synchronized (this) {
      if (from != client) {
        return; // a late delivery of a replaced client: the broker delivers it again
      }
      delivery = new Delivery(connection, message.getId(), message.getQos());
      unacknowledged.add(delivery);
      if (connection == failedConnection) {
        delivery.answered.complete(false); // the connection is being dropped; the broker delivers it again
        return;
      }
    }
    LoadCellReading reading;
    try {
      reading = LoadCellReading.parse(settings.store(), topic, message.getPayload());
    } catch (IllegalArgumentException e) {
      count("unreadable");
      logLimited("unreadable", "MQTT gateway dropped an unreadable reading on " + printable(topic) + ": "
          + e.getMessage());
      delivery.answered.complete(true);
      acknowledgeAnswered();
      return;
    }
    CompletableFuture<List<IngestAck>> sent = ingest.send(List.of(reading.toMessage()));
    CompletableFuture<?> unused = sent.whenComplete((acks, failure) -> {
      if (failure != null || acks.size() != 1) {
        logLimited("ingest", "MQTT gateway: the store did not take reading " + reading.seq() + " of "
            + reading.source() + " (" + (failure != null ? failure.getMessage() : "no acknowledgement")
            + "); reconnecting so that the broker delivers it again");
        synchronized (this) {
          if (delivery.connection == connection) {
            failedConnection = connection;
          }
        }
        delivery.answered.complete(false);
        connector.execute(() -> {
          synchronized (this) {
            if (delivery.connection != connection) {
              return;
            }
          }
          dropConnection();
        });
        return;
      }
      IngestAck ack = acks.get(0);
      if (ack.getOutcome() == IngestAck.Outcome.ACCEPTED) {
        count(ack.getMessage().isEmpty() ? "accepted" : "already_received");
      } else {
        count("rejected");
        logLimited("rejected-" + ack.getReason(), "the store rejected reading " + reading.seq() + " of "
            + reading.source() + " (" + ack.getReason() + "): " + ack.getMessage());
      }
      delivery.answered.complete(true);
      acknowledgeAnswered();
    });
  }

  /** Acknowledges to the broker, in arrival order, every reading of this connection the store has answered. */
  private synchronized void acknowledgeAnswered() {
    for (Delivery head = unacknowledged.peek(); head != null; head = unacknowledged.peek()) {
      if (!head.answered.isDone() || head.connection != connection) {
        return;
      }
      if (!head.answered.join()) {
        return; // the connection is being dropped; the broker delivers it again
      }
      unacknowledged.poll();
      try {
        client.messageArrivedComplete(head.messageId, head.qos);
      } catch (MqttException e) {
        // The connection is gone; the broker delivers the reading again on the next one.
        log.debug("MQTT acknowledgement failed: {}", e.toString());
        return;
      }
    }
  }

  /** How many readings of the current connection wait for the store's answer or for their acknowledgement. */
  synchronized int unacknowledged() {
    return unacknowledged.size();
  }

  private void count(String outcome) {
    registry.counter("jwo.gateway.mqtt.readings", "outcome", outcome.toLowerCase(Locale.ROOT)).increment();
  }

  private void logLimited(String kind, String message) {
    long now = System.currentTimeMillis();
    Long last = lastLogged.get(kind);
    if (last == null || now - last >= LOG_INTERVAL_MILLIS) {
      lastLogged.put(kind, now);
      log.warn(message);
    }
  }

  private static String printable(String topic) {
    return topic.length() > 200 ? topic.substring(0, 200) + "..." : topic;
  }

  /** Disconnects from the broker; readings not yet acknowledged are delivered again on the next start. */
  @Override
  public void close() {
    closed = true;
    connector.shutdownNow();
    try {
      if (client.isConnected()) {
        client.disconnect(2_000);
      }
      client.close(true);
    } catch (MqttException e) {
      log.debug("MQTT close: {}", e.toString());
    }
  }

  /** A reading received on one connection, and whether the store has answered it (true) or failed (false). */
  private static final class Delivery {
    final long connection;
    final int messageId;
    final int qos;
    final CompletableFuture<Boolean> answered = new CompletableFuture<>();

    Delivery(long connection, int messageId, int qos) {
      this.connection = connection;
      this.messageId = messageId;
      this.qos = qos;
    }
  }

  private final class Callback implements MqttCallbackExtended {
    private final MqttClient owner;

    Callback(MqttClient owner) {
      this.owner = owner;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void connectionLost(Throwable cause) {
      synchronized (MqttSensorGateway.this) {
        if (owner == client) {
          // Nothing more is acknowledged on the connection that is gone: the broker delivers those readings again.
          unacknowledged.clear();
          connection++;
        }
      }
      logLimited("lost", "MQTT gateway lost the broker " + settings.brokerUri() + " (" + cause
          + "); reconnecting");
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (!closed) {
        arrived(owner, topic, message);
      }
    }

    @Override
    public void deliveryComplete(@Nullable IMqttDeliveryToken token) {}
  }
}
