/**
 * A sensor gateway for load cells that publish over MQTT: {@link MqttSensorGateway} subscribes to the topic scheme
 * of {@link LoadCellReading} on a broker and streams the readings into a store's ingest, acknowledging each to the
 * broker only once the store has recorded it.
 */
@NullMarked
package dev.jwo.gateway.mqtt;

import org.jspecify.annotations.NullMarked;
