package dev.jwo.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.v1.SensorEventMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The topic scheme and payload of load-cell readings. */
class LoadCellReadingTest {
  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReadingBecomesAWeightEventOfItsTopicsSource() {
    LoadCellReading reading = LoadCellReading.parse("s-1", "jwo/s-1/loadcell/cell-7/A1-1",
        json("{\"seq\": 42, \"ts_ms\": 1765000000000, \"grams\": 1234.5}"));

    SensorEventMessage message = reading.toMessage();

    assertThat(message.getSource()).isEqualTo("cell-7/A1-1");
    assertThat(message.getSequence()).isEqualTo(42);
    assertThat(message.getTsMs()).isEqualTo(1_765_000_000_000L);
    assertThat(message.getWeight().getBin()).isEqualTo("A1-1");
    assertThat(message.getWeight().getGrams()).isEqualTo(1234.5);
    assertThat(LoadCellReading.parse("s-1", LoadCellReading.topic("s-1", "cell-7", "A1-1"), reading.payload()))
        .isEqualTo(reading);
    assertThat(LoadCellReading.subscription("s-1")).isEqualTo("jwo/s-1/loadcell/+/+");
  }

  @Test
  void whatCannotBeReadSaysWhy() {
    String topic = "jwo/s-1/loadcell/cell-7/A1-1";
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", "jwo/s-2/loadcell/cell-7/A1-1", json("{}")))
        .hasMessageContaining("is not jwo/s-1/loadcell/<device>/<bin>");
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", "jwo/s-1/loadcell/cell-7/A1-1/x", json("{}")))
        .hasMessageContaining("<device>/<bin>");
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", topic, json("{\"seq\": 1, \"ts_ms\": 5")))
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", topic, json("{\"ts_ms\": 5, \"grams\": 1}")))
        .hasMessageContaining("integer 'seq'");
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", topic, json("{\"seq\": 1, \"ts_ms\": 5, \"grams\": \"1\"}")))
        .hasMessageContaining("number 'grams'");
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", topic,
        json("{\"seq\": 1, \"ts_ms\": 5, \"grams\": 1, \"kg\": 2}")))
        .hasMessageContaining("unknown field 'kg'");
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", topic, json("{\"seq\": 0, \"ts_ms\": 5, \"grams\": 1}")))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> LoadCellReading.parse("s-1", topic, json("[1]")))
        .hasMessageContaining("not a JSON object");
  }
}
