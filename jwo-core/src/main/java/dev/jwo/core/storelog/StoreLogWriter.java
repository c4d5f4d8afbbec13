package dev.jwo.core.storelog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.StoreLayout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Writes the files of a store log (format version 1). */
public final class StoreLogWriter {
  private StoreLogWriter() {}

  /** Writes {@code store.json}, pretty-printed. */
  public static void writeStore(Path file, StoreLayout layout) throws IOException {
    Files.writeString(
        file,
        JsonSource.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(StoreLayoutCodec.encode(layout)) + "\n",
        StandardCharsets.UTF_8);
  }

  /** Creates {@code events.jsonl}, starting with {@code header}. */
  public static EventLogWriter createEvents(Path file, LogHeader header) throws IOException {
    EventLogWriter writer = new EventLogWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    writer.writeHeader(header);
    return writer;
  }

  /**
   * Writes {@code receipts.jsonl}, one line per receipt, ordered by credential and then exit time so that
   * equal runs give byte-equal files.
   */
  public static void writeReceipts(Path file, List<ReceiptRecord> receipts) throws IOException {
    List<ReceiptRecord> ordered = receipts.stream()
        .sorted(Comparator.comparing(ReceiptRecord::credential)
            .thenComparing(r -> r.exitTs() == null ? Long.MAX_VALUE : r.exitTs()))
        .toList();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (ReceiptRecord receipt : ordered) {
        out.write(JsonSource.MAPPER.writeValueAsString(encodeReceipt(receipt)));
        out.write('\n');
      }
    }
  }

  static ObjectNode encodeReceipt(ReceiptRecord r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("credential", r.credential().reveal());
    o.put("status", r.status().name());
    ArrayNode items = o.putArray("items");
    for (SkuQuantity item : r.items().stream().sorted().toList()) {
      items.addObject().put("sku", item.sku().value()).put("qty", item.quantity());
    }
    o.put("total_minor", r.totalMinor());
    if (r.exitTs() != null) {
      o.put("exit_ts", r.exitTs());
    } else {
      o.putNull("exit_ts");
    }
    o.put("finalized_ts", r.finalizedTs());
    return o;
  }
}
