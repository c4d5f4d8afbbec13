package dev.jwo.gateway.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * Where an {@link MqttSensorGateway} takes readings from.
 *
 * @param brokerUri the broker, e.g. {@code tcp://127.0.0.1:1883}
 * @param clientId the gateway's MQTT client id; keep it stable, since the broker keeps the gateway's session (its
 *     subscription and the readings not yet acknowledged) under it while the gateway is away
 * @param store the store's id, the second level of every topic
 * @param reconnectDelay how long to wait between attempts to reach the broker
 */
public record MqttGatewaySettings(String brokerUri, String clientId, String store, Duration reconnectDelay) {
  public MqttGatewaySettings {
    Objects.requireNonNull(brokerUri, "brokerUri");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(reconnectDelay, "reconnectDelay");
    if (clientId.isEmpty() || (clientId.length() > 23 && !clientId.matches("[0-9A-Za-z_.-]+"))) {
      throw new IllegalArgumentException("clientId must be 1-23 characters, or letters, digits, '_', '.' and '-'");
    }
    if (store.isEmpty() || store.contains("/") || store.contains("+") || store.contains("#")) {
      throw new IllegalArgumentException("store must be a store id without '/', '+' or '#', was '" + store + "'");
    }
    if (reconnectDelay.isNegative() || reconnectDelay.isZero()) {
      throw new IllegalArgumentException("reconnectDelay must be positive");
    }
  }

  /** Settings with a one-second reconnect delay. */
  public static MqttGatewaySettings of(String brokerUri, String clientId, String store) {
    return new MqttGatewaySettings(brokerUri, clientId, store, Duration.ofSeconds(1));
  }
}
