package dev.jwo.payments.restricted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A verified age as kept in table {@value RestrictedItems#AGES}: the age, the verifier's reference and when it was
 * verified (0 for a row an earlier release kept as {@code "<age> <reference>"}).
 */
record VerifiedAge(int age, String reference, long verifiedTs) {
  private static final ObjectMapper JSON = new ObjectMapper();

  byte[] toBytes() {
    ObjectNode row = JSON.createObjectNode();
    row.put("age", age);
    row.put("reference", reference);
    row.put("verified_ts", verifiedTs);
    return row.toString().getBytes(StandardCharsets.UTF_8);
  }

  static VerifiedAge parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("{")) {
      try {
        JsonNode row = JSON.readTree(text);
        return new VerifiedAge(row.path("age").asInt(), row.path("reference").asText(""),
            row.path("verified_ts").asLong());
      } catch (IOException e) {
        throw new IllegalStateException("a verified age cannot be read: " + e.getMessage(), e);
      }
    }
    String[] parts = text.split(" ", 2);
    return new VerifiedAge(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "", 0);
  }
}
