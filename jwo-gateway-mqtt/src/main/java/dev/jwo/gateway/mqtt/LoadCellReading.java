package dev.jwo.gateway.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.WeightReading;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * One load cell's reading as published over MQTT, and the topic scheme it is published under.
 *
 * <p>Topic: {@code jwo/<store>/loadcell/<device>/<bin>}, where {@code store} is the store's id, {@code device} names
 * the publishing gateway or cell controller and {@code bin} is the bin's id in the store's layout. Payload: a JSON
 * object {@code {"seq": 42, "ts_ms": 1765000000000, "grams": 1234.5}}: the reading's number, increasing by one per
 * reading of that topic; the time it was taken (epoch milliseconds); the bin's total load in grams. Publish at QoS 1.
 * The store knows the topic's readings as source {@code <device>/<bin>} and recognises a reading it already has by
 * its {@code seq}, so a reading delivered twice is recorded once.
 *
 * @param device the publishing device, from the topic
 * @param bin the bin's id, from the topic
 * @param seq the reading's number within its topic (at least 1)
 * @param tsMillis when it was taken, epoch milliseconds
 * @param grams the bin's total load
 */
public record LoadCellReading(String device, String bin, long seq, long tsMillis, double grams) {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> FIELDS = Set.of("seq", "ts_ms", "grams");

  public LoadCellReading {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(bin, "bin");
  }

  /** The topic filter that subscribes to every load cell of {@code store}. */
  public static String subscription(String store) {
    return "jwo/" + store + "/loadcell/+/+";
  }

  /** The topic that {@code device} publishes {@code bin}'s readings under. */
  public static String topic(String store, String device, String bin) {
    return "jwo/" + store + "/loadcell/" + device + "/" + bin;
  }

  /** The JSON payload of this reading. */
  public byte[] payload() {
    return ("{\"seq\":" + seq + ",\"ts_ms\":" + tsMillis + ",\"grams\":" + grams + "}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Reads a reading published on {@code topic}.
   *
   * @throws IllegalArgumentException saying what is wrong with the topic or payload
   */
  public static LoadCellReading parse(String store, String topic, byte[] payload) {
    String prefix = "jwo/" + store + "/loadcell/";
    String[] path = topic.startsWith(prefix) ? topic.substring(prefix.length()).split("/", -1) : new String[0];
    if (path.length != 2 || path[0].isEmpty() || path[1].isEmpty()) {
      throw new IllegalArgumentException("topic '" + topic + "' is not " + prefix + "<device>/<bin>");
    }
    JsonNode json;
    try {
      json = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("payload cannot be read: " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("payload is not a JSON object {\"seq\", \"ts_ms\", \"grams\"}");
    }
    for (java.util.Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("payload has unknown field '" + name + "'; expected seq, ts_ms, grams");
      }
    }
    long seq = integer(json, "seq");
    long ts = integer(json, "ts_ms");
    JsonNode grams = json.get("grams");
    if (grams == null || !grams.isNumber()) {
      throw new IllegalArgumentException("payload needs a number 'grams'");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("'seq' must be at least 1, was " + seq);
    }
    return new LoadCellReading(path[0], path[1], seq, ts, grams.doubleValue());
  }

  private static long integer(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("payload needs an integer '" + field + "'");
    }
    return value.longValue();
  }

  /** The store's source name for this reading's topic. */
  public String source() {
    return device + "/" + bin;
  }

  /** The sensor message the store ingests. */
  public SensorEventMessage toMessage() {
    return SensorEventMessage.newBuilder()
        .setSource(source())
        .setSequence(seq)
        .setTsMs(tsMillis)
        .setWeight(WeightReading.newBuilder().setBin(bin).setGrams(grams))
        .build();
  }
}
