package dev.jwo.core.storelog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.BinId;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Converts between one {@code events.jsonl} line and a {@link SensorEvent}. */
final class SensorEventCodec {
  static final String HEADER_TYPE = "header";

  private SensorEventCodec() {}

  /** Decodes an event object; the caller has already handled header lines. */
  static SensorEvent decode(JsonSource json, ObjectNode line) {
    long ts = json.integer(line, "ts", "");
    String type = json.text(line, "type", "");
    return StoreLayoutCodec.build(json, line, type, () -> switch (type) {
      case "entry" -> new EntryEvent(
          ts,
          GateId.of(json.text(line, "gate", "entry.")),
          Credential.of(json.text(line, "credential", "entry.")),
          line.has("party") ? Math.toIntExact(json.integer(line, "party", "entry.")) : 1,
          json.optionalText(line, "consent", "entry.").orElse(null));
      case "exit" -> new ExitEvent(ts, GateId.of(json.text(line, "gate", "exit.")));
      case "weight" -> new WeightEvent(
          ts, BinId.of(json.text(line, "bin", "weight.")), json.number(line, "grams", "weight."));
      case "frame" -> new FrameEvent(
          ts, CameraId.of(json.text(line, "camera", "frame.")), people(json, line));
      default -> throw json.errorAtField(line, "type",
          "unknown event type '" + type + "' (expected entry, exit, weight or frame)");
    });
  }

  private static List<PersonObservation> people(JsonSource json, ObjectNode line) {
    JsonNode peopleNode = line.get("people");
    if (peopleNode == null || peopleNode.isNull()) {
      return List.of();
    }
    if (!(peopleNode instanceof ArrayNode array)) {
      throw json.errorAtField(line, "people", "frame.people must be an array");
    }
    List<PersonObservation> people = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String path = "frame.people[" + i + "].";
      ObjectNode person = json.object(array.get(i), "frame.people[" + i + "]");
      List<Point3> hands = new ArrayList<>(2);
      JsonNode handsNode = person.get("hands");
      if (handsNode != null && !handsNode.isNull()) {
        if (!(handsNode instanceof ArrayNode handArray)) {
          throw json.errorAtField(person, "hands", path + "hands must be an array");
        }
        for (int h = 0; h < handArray.size(); h++) {
          String handPath = path + "hands[" + h + "].";
          ObjectNode hand = json.object(handArray.get(h), path + "hands[" + h + "]");
          hands.add(new Point3(
              json.number(hand, "x", handPath), json.number(hand, "y", handPath), json.number(hand, "z", handPath)));
        }
      }
      people.add(new PersonObservation(
          new Position(json.number(person, "x", path), json.number(person, "y", path)),
          hands,
          features(json, person, path)));
    }
    return people;
  }

  private static @Nullable FeatureVector features(JsonSource json, ObjectNode person, String path) {
    JsonNode node = person.get("features");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!(node instanceof ArrayNode array)) {
      throw json.errorAtField(person, "features", path + "features must be an array of numbers");
    }
    if (array.isEmpty()) {
      return null;
    }
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = array.get(i);
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw json.errorAtField(person, "features", path + "features[" + i + "] must be a finite number");
      }
      values[i] = v.asDouble();
    }
    return FeatureVector.of(values);
  }

  static ObjectNode encode(SensorEvent event) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("ts", event.ts());
    node.put("type", event.type());
    if (event instanceof EntryEvent entry) {
      node.put("gate", entry.gate().value());
      node.put("credential", entry.credential().reveal());
      node.put("party", entry.partySize());
      if (entry.consentVersion() != null) {
        node.put("consent", entry.consentVersion());
      } else {
        node.putNull("consent");
      }
    } else if (event instanceof ExitEvent exit) {
      node.put("gate", exit.gate().value());
    } else if (event instanceof WeightEvent weight) {
      node.put("bin", weight.bin().value());
      node.put("grams", weight.grams());
    } else if (event instanceof FrameEvent frame) {
      node.put("camera", frame.camera().value());
      ArrayNode people = node.putArray("people");
      for (PersonObservation person : frame.people()) {
        ObjectNode p = people.addObject();
        p.put("x", person.position().x());
        p.put("y", person.position().y());
        ArrayNode hands = p.putArray("hands");
        for (Point3 hand : person.hands()) {
          hands.addObject().put("x", hand.x()).put("y", hand.y()).put("z", hand.z());
        }
        FeatureVector features = person.features();
        if (features != null) {
          ArrayNode values = p.putArray("features");
          for (int i = 0; i < features.dimension(); i++) {
            values.add(features.get(i));
          }
        }
      }
    }
    return node;
  }
}
