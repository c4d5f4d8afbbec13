package dev.jwo.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.BinId;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.v1.Heartbeat;
import dev.jwo.core.v1.SensorEventMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensorEventProtosTest {

  @Test
  void everyEventSurvivesTheTripThroughItsProto() {
    List<SensorEvent> events = List.of(
        new EntryEvent(1, GateId.of("in-1"), Credential.of("c-1"), 3, "bio-2026-01"),
        new EntryEvent(2, GateId.of("in-1"), Credential.of("c-2"), 1, null),
        new ExitEvent(3, GateId.of("out-1")),
        new WeightEvent(4, BinId.of("A1-1"), 6240.3),
        new FrameEvent(5, CameraId.of("cam-1"), List.of(
            new PersonObservation(new Position(1, 2), List.of(new Point3(1, 2, 1.1), new Point3(1.5, 2, 0.9)),
                FeatureVector.of(0.1, 0.2)),
            new PersonObservation(new Position(3, 4), List.of(), null))));

    for (SensorEvent event : events) {
      SensorEventMessage message = SensorEventProtos.toProto(event, "gw-7", 42);
      assertThat(message.getSource()).isEqualTo("gw-7");
      assertThat(message.getSequence()).isEqualTo(42);
      assertThat(SensorEventProtos.fromProto(message)).isEqualTo(event);
    }
  }

  @Test
  void aMessageWithoutAnEventIsRefusedWithAReason() {
    assertThatThrownBy(() -> SensorEventProtos.fromProto(SensorEventMessage.newBuilder().setTsMs(1).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set entry, exit, weight or frame");
    assertThatThrownBy(() -> SensorEventProtos.fromProto(
            SensorEventMessage.newBuilder().setTsMs(1).setHeartbeat(Heartbeat.getDefaultInstance()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heartbeat");
  }

  @Test
  void moneyKeepsItsCurrency() {
    Money money = Money.ofMinor(-1234, "EUR");

    assertThat(SensorEventProtos.fromProto(SensorEventProtos.toProto(money))).isEqualTo(money);
    assertThatThrownBy(() -> SensorEventProtos.fromProto(
            dev.jwo.core.v1.Money.newBuilder().setMinor(1).setCurrency("ZZZZ").build()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
