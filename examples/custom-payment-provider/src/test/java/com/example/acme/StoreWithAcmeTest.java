package com.example.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.storelog.EventLogWriter;
import dev.jwo.core.storelog.LogHeader;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.payments.Receipt;
import dev.jwo.server.Replay;
import dev.jwo.server.ReplayResult;
import dev.jwo.testing.scenario.StoreScript;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole store replayed with AcmePay bound in place of the default provider. */
class StoreWithAcmeTest {
  static final long START = 1_764_410_400_000L;

  @TempDir Path dir;

  @Test
  void visitsAreChargedThroughAcmePay() throws Exception {
    StoreScript script = new StoreScript(StoreScript.smallStore("acme-001", "US-IL"), START, 1);
    script.shopper("tok-visa-1", 0).take("A1-1", 2);
    script.shopper("tok-visa-2", 15_000).take("A1-2", 1);
    script.shopper("decline-card", 30_000).take("A1-4", 1);
    StoreLogWriter.writeStore(dir.resolve("store.json"), script.layout());
    try (EventLogWriter out = StoreLogWriter.createEvents(dir.resolve("events.jsonl"),
        LogHeader.of(START, script.layout().storeId()))) {
      for (SensorEvent event : script.events()) {
        out.write(event);
      }
    }
    AcmePayGateway gateway = new AcmePayGateway();

    ReplayResult result = new Replay(dir.resolve("store.json"), dir.resolve("events.jsonl"),
        new AcmePaymentsModule(gateway)).run(dir.resolve("out"), (lines, ts) -> {});

    assertThat(gateway.settlements()).hasSize(2);
    assertThat(result.receipts()).filteredOn(r -> r.status() == ReceiptStatus.CHARGED)
        .extracting(Receipt::paymentReference)
        .containsExactlyInAnyOrderElementsOf(gateway.settlements());
    assertThat(result.receipts()).filteredOn(r -> r.credential().reveal().equals("decline-card"))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.status()).isEqualTo(ReceiptStatus.REVIEW);
          assertThat(r.reasons()).anyMatch(reason -> reason.contains("DO_NOT_HONOR"));
        });
  }
}
