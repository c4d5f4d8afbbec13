package dev.jwo.core.storelog;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed JSON document that remembers the line of every value, so that problems found after parsing
 * (a missing field, a wrong type, an unknown reference) can still be reported at their line.
 */
final class JsonSource {
  /** Accepts NaN and Infinity so that they are reported as invalid values rather than as syntax errors. */
  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final String file;
  private final long baseLine;
  /** Lines of objects and arrays (always distinct instances). */
  private final IdentityHashMap<JsonNode, Long> lines = new IdentityHashMap<>();
  /** Lines of the values of each object's fields (scalar nodes may be shared instances). */
  private final IdentityHashMap<ObjectNode, Map<String, Long>> fieldLines = new IdentityHashMap<>();
  private final JsonNode root;
  /**
   * Whether the text spans several lines, so that the line of each node and field is worth recording: in one line
   * every node is on {@link #baseLine}, which {@link #lineOf} and {@link #errorAtField} answer without a record.
   */
  private final boolean multiline;

  private JsonSource(String file, long baseLine, String text) {
    this.file = file;
    this.baseLine = baseLine;
    this.multiline = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    try (JsonParser parser = MAPPER.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw error(baseLine, "empty document");
      }
      this.root = read(parser);
      if (parser.nextToken() != null) {
        throw error(lineAt(parser), "unexpected content after the JSON value");
      }
    } catch (JsonParseException e) {
      throw error(baseLine - 1 + e.getLocation().getLineNr(), "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw error(baseLine, "cannot read JSON: " + e.getMessage(), e);
    }
  }

  /** Parses a whole document whose first line is line 1. */
  static JsonSource parse(String file, String text) {
    return new JsonSource(file, 1, text);
  }

  /** Parses one line of a JSON Lines file. */
  static JsonSource parseLine(String file, long lineNumber, String line) {
    return new JsonSource(file, lineNumber, line);
  }

  JsonNode root() {
    return root;
  }

  ObjectNode rootObject(String what) {
    if (!(root instanceof ObjectNode object)) {
      throw error(baseLine, what + " must be a JSON object");
    }
    return object;
  }

  String file() {
    return file;
  }

  long lineOf(JsonNode node) {
    Long line = lines.get(node);
    return line == null ? baseLine : line;
  }

  StoreLogFormatException error(long line, String problem) {
    return new StoreLogFormatException(file, line, problem);
  }

  StoreLogFormatException error(long line, String problem, Throwable cause) {
    return new StoreLogFormatException(file, line, problem, cause);
  }

  StoreLogFormatException errorAt(JsonNode node, String problem) {
    return error(lineOf(node), problem);
  }

  StoreLogFormatException errorAtField(ObjectNode object, String field, String problem) {
    Map<String, Long> byField = fieldLines.get(object);
    Long line = byField == null ? null : byField.get(field);
    return error(line == null ? lineOf(object) : line, problem);
  }

  // ---- typed field access, with messages that name the field and the line ----

  JsonNode require(ObjectNode object, String field, String path) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw errorAt(object, path + field + " is missing");
    }
    return value;
  }

  String text(ObjectNode object, String field, String path) {
    JsonNode value = require(object, field, path);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw errorAtField(object, field, path + field + " must be a non-empty string");
    }
    return value.asText();
  }

  Optional<String> optionalText(ObjectNode object, String field, String path) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw errorAtField(object, field, path + field + " must be a string or null");
    }
    return Optional.of(value.asText());
  }

  double number(ObjectNode object, String field, String path) {
    JsonNode value = require(object, field, path);
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      throw errorAtField(object, field, path + field + " must be a finite number, was " + value);
    }
    return value.asDouble();
  }

  long integer(ObjectNode object, String field, String path) {
    JsonNode value = require(object, field, path);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw errorAtField(object, field, path + field + " must be an integer, was " + value);
    }
    return value.asLong();
  }

  boolean bool(ObjectNode object, String field, String path, boolean defaultValue) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw errorAtField(object, field, path + field + " must be true or false, was " + value);
    }
    return value.asBoolean();
  }

  ArrayNode array(ObjectNode object, String field, String path) {
    JsonNode value = require(object, field, path);
    if (!(value instanceof ArrayNode array)) {
      throw errorAtField(object, field, path + field + " must be an array");
    }
    return array;
  }

  ObjectNode object(JsonNode value, String path) {
    if (!(value instanceof ObjectNode object)) {
      throw errorAt(value, path + " must be an object");
    }
    return object;
  }

  ObjectNode object(ObjectNode parent, String field, String path) {
    return object(require(parent, field, path), path + field);
  }

  // ---- tree building ----

  private JsonNode read(JsonParser parser) throws IOException {
    long line = multiline ? lineAt(parser) : baseLine;
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    JsonNode node;
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          if (multiline) {
            fieldLines.computeIfAbsent(object, o -> new HashMap<>()).put(name, lineAt(parser));
          }
          object.set(name, read(parser));
        }
        node = object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser));
        }
        node = array;
      }
      case VALUE_STRING -> node = nodes.textNode(parser.getText());
      case VALUE_NUMBER_INT -> node = nodes.numberNode(parser.getLongValue());
      case VALUE_NUMBER_FLOAT -> node = nodes.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> node = nodes.booleanNode(true);
      case VALUE_FALSE -> node = nodes.booleanNode(false);
      case VALUE_NULL -> node = nodes.nullNode();
      default -> throw error(line, "unexpected JSON token " + parser.currentToken());
    }
    if (multiline && node.isContainerNode()) {
      lines.put(node, line);
    }
    return node;
  }

  private long lineAt(JsonParser parser) {
    return baseLine - 1 + parser.currentTokenLocation().getLineNr();
  }
}
