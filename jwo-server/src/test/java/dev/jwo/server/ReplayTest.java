package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storelog.EventLogWriter;
import dev.jwo.core.storelog.LogHeader;
import dev.jwo.core.storelog.ReceiptRecord;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.testing.scenario.StoreScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  static final long START = 1_764_410_400_000L;

  @TempDir Path dir;

  @Test
  void singleShoppersWithoutPutBacksGetExactReceipts() throws Exception {
    StoreScript script = new StoreScript(StoreScript.smallStore("test-001", "US-IL"), START, 7);
    script.shopper("c-alice", 0).take("A1-1", 1).take("A1-3", 2);
    script.shopper("c-bob", 20_000).take("A1-2", 1);
    script.shopper("c-carol", 40_000).take("A1-6", 1).take("A1-4", 1);
    script.shopper("c-dave", 60_000);
    writeLog(script.layout(), script.events());

    ReplayResult result = new Replay(dir.resolve("store.json"), dir.resolve("events.jsonl"))
        .run(dir.resolve("out"), (lines, ts) -> {});

    List<ReceiptRecord> receipts = StoreLogReader.readReceipts(dir.resolve("out/receipts.jsonl"));
    assertThat(receipts).hasSize(4);
    Map<Credential, ReceiptRecord> byCredential =
        receipts.stream().collect(Collectors.toMap(ReceiptRecord::credential, r -> r));
    for (Map.Entry<Credential, List<SkuQuantity>> expected : script.expectedItems().entrySet()) {
      ReceiptRecord receipt = byCredential.get(expected.getKey());
      assertThat(receipt.status())
          .as("status of %s, held because %s", expected.getKey(), reasonsOf(result, expected.getKey()))
          .isEqualTo(ReceiptStatus.CHARGED);
      assertThat(receipt.items()).as("items of %s", expected.getKey()).isEqualTo(expected.getValue());
      assertThat(receipt.exitTs()).isNotNull();
      assertThat(receipt.finalizedTs()).isGreaterThanOrEqualTo(receipt.exitTs());
    }
    assertThat(byCredential.get(Credential.of("c-alice")).totalMinor()).isEqualTo(199 + 2 * 279);
    assertThat(result.pipeline().rejectedTotal()).isZero();
  }

  @Test
  void replayingTheSameLogTwiceGivesTheSameBytes() throws Exception {
    StoreScript script = new StoreScript(StoreScript.smallStore("test-001", "US-IL"), START, 11);
    script.shopper("c-1", 0).take("A1-2", 1);
    script.shopper("c-2", 3_000).take("A1-5", 1);
    writeLog(script.layout(), script.events());

    new Replay(dir.resolve("store.json"), dir.resolve("events.jsonl")).run(dir.resolve("a"), (l, t) -> {});
    new Replay(dir.resolve("store.json"), dir.resolve("events.jsonl")).run(dir.resolve("b"), (l, t) -> {});

    assertThat(Files.readAllBytes(dir.resolve("a/receipts.jsonl")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b/receipts.jsonl")));
  }

  @Test
  void malformedAndOutOfOrderLinesAreCountedAndSkipped() throws Exception {
    StoreScript script = new StoreScript(StoreScript.smallStore("test-001", "US-IL"), START, 3);
    script.shopper("c-1", 0).take("A1-1", 1);
    writeLog(script.layout(), script.events());
    Path events = dir.resolve("events.jsonl");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(events));
    lines.add(5, "{not json");
    lines.add(6, "{\"ts\": " + (START + 10) + ", \"type\": \"weight\", \"bin\": \"A1-1\", \"grams\": NaN}");
    lines.add(7, "{\"ts\": " + (START + 10) + ", \"type\": \"weight\", \"bin\": \"Z9\", \"grams\": 10}");
    lines.add(8, "{\"ts\": " + (START + 10) + ", \"type\": \"teleport\"}");
    lines.add(lines.size() - 2, "{\"ts\": " + START + ", \"type\": \"exit\", \"gate\": \"out-1\"}");
    Files.write(events, lines);

    ReplayResult result = new Replay(dir.resolve("store.json"), events).run(dir.resolve("out"), (l, t) -> {});

    assertThat(result.pipeline().rejected()).containsEntry(dev.jwo.core.pipeline.RejectionReason.MALFORMED, 3L)
        .containsEntry(dev.jwo.core.pipeline.RejectionReason.UNKNOWN_ID, 1L)
        .containsEntry(dev.jwo.core.pipeline.RejectionReason.TOO_LATE, 1L);
    assertThat(result.rejectionExamples()).anySatisfy(e -> assertThat(e).startsWith("events.jsonl:7:"));
    assertThat(result.receipts()).singleElement()
        .satisfies(r -> assertThat(r.status()).as("held because %s", r.reasons()).isEqualTo(ReceiptStatus.CHARGED));
  }

  private static List<String> reasonsOf(ReplayResult result, Credential credential) {
    return result.receipts().stream()
        .filter(r -> r.credential().equals(credential))
        .flatMap(r -> r.reasons().stream())
        .toList();
  }

  private void writeLog(StoreLayout layout, List<SensorEvent> events) throws IOException {
    StoreLogWriter.writeStore(dir.resolve("store.json"), layout);
    try (EventLogWriter writer =
        StoreLogWriter.createEvents(dir.resolve("events.jsonl"), LogHeader.of(START, layout.storeId()))) {
      for (SensorEvent event : events) {
        writer.write(event);
      }
    }
  }
}
