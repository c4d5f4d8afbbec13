package dev.jwo.core.storelog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.StoreLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the files of a store log (format version 1). */
public final class StoreLogReader {
  private StoreLogReader() {}

  /**
   * Reads {@code store.json}.
   *
   * @throws StoreLogFormatException naming the line of the first problem
   * @throws IOException if the file cannot be read
   */
  public static StoreLayout readStore(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return StoreLayoutCodec.decode(JsonSource.parse(String.valueOf(file.getFileName()), text));
  }

  /** Parses {@code store.json} content; {@code fileName} is used in error messages. */
  public static StoreLayout parseStore(String fileName, String text) {
    return StoreLayoutCodec.decode(JsonSource.parse(fileName, text));
  }

  /** Opens {@code events.jsonl} for reading one event at a time. */
  public static EventLogReader openEvents(Path file) throws IOException {
    return new EventLogReader(file);
  }

  /**
   * Reads a whole {@code receipts.jsonl}.
   *
   * @throws StoreLogFormatException at the first malformed line
   */
  public static List<ReceiptRecord> readReceipts(Path file) throws IOException {
    String fileName = String.valueOf(file.getFileName());
    List<ReceiptRecord> receipts = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (!line.isBlank()) {
          receipts.add(decodeReceipt(JsonSource.parseLine(fileName, lineNumber, line)));
        }
      }
    }
    return receipts;
  }

  private static ReceiptRecord decodeReceipt(JsonSource json) {
    ObjectNode o = json.rootObject("each receipt line");
    String statusText = json.text(o, "status", "");
    ReceiptStatus status;
    try {
      status = ReceiptStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw json.errorAtField(o, "status", "status is '" + statusText + "', expected CHARGED, REVIEW or OPEN");
    }
    List<SkuQuantity> items = new ArrayList<>();
    JsonNode itemsNode = o.get("items");
    if (itemsNode != null && !itemsNode.isNull()) {
      if (!(itemsNode instanceof ArrayNode array)) {
        throw json.errorAtField(o, "items", "items must be an array");
      }
      for (int i = 0; i < array.size(); i++) {
        ObjectNode item = json.object(array.get(i), "items[" + i + "]");
        String path = "items[" + i + "].";
        items.add(StoreLayoutCodec.build(json, item, path, () -> new SkuQuantity(
            Sku.of(json.text(item, "sku", path)), Math.toIntExact(json.integer(item, "qty", path)))));
      }
    }
    Long exitTs = o.hasNonNull("exit_ts") ? json.integer(o, "exit_ts", "") : null;
    return new ReceiptRecord(
        Credential.of(json.text(o, "credential", "")),
        status,
        items,
        o.hasNonNull("total_minor") ? json.integer(o, "total_minor", "") : 0,
        exitTs,
        o.hasNonNull("finalized_ts") ? json.integer(o, "finalized_ts", "") : 0);
  }
}
