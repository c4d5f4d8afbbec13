package dev.jwo.core.storelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code receipts.jsonl}: the example of the specification, round trips, stable output and located errors. */
class ReceiptLogTest {
  static final String SPEC_EXAMPLE = "{\"credential\": \"c-7f3a\", \"status\": \"CHARGED\", \"items\": [{\"sku\": \"0001\","
      + " \"qty\": 2}], \"total_minor\": 398, \"exit_ts\": 1764410702000, \"finalized_ts\": 1764410702000}";

  static final ReceiptRecord CHARGED = new ReceiptRecord(Credential.of("c-7f3a"), ReceiptStatus.CHARGED,
      List.of(new SkuQuantity(Sku.of("0001"), 2)), 398, 1764410702000L, 1764410702000L);
  static final ReceiptRecord REVIEW = new ReceiptRecord(Credential.of("c-b"), ReceiptStatus.REVIEW,
      List.of(new SkuQuantity(Sku.of("0001"), 1), new SkuQuantity(Sku.of("0003"), 4)), 1315, 5_000L, 6_500);
  static final ReceiptRecord OPEN = new ReceiptRecord(Credential.of("c-a"), ReceiptStatus.OPEN, List.of(), 0, null,
      9_000);

  @TempDir Path dir;

  @Test
  void readsTheExampleOfTheSpecification() throws IOException {
    Path file = dir.resolve("receipts.jsonl");
    Files.writeString(file, SPEC_EXAMPLE + "\n");

    assertThat(StoreLogReader.readReceipts(file)).containsExactly(CHARGED);
  }

  @Test
  void writtenReceiptsReadBackEqual() throws IOException {
    Path file = dir.resolve("receipts.jsonl");
    StoreLogWriter.writeReceipts(file, List.of(CHARGED, REVIEW, OPEN));

    assertThat(StoreLogReader.readReceipts(file)).containsExactlyInAnyOrder(CHARGED, REVIEW, OPEN);
  }

  @Test
  void linesUseTheFieldNamesOfTheSpecification() throws IOException {
    Path file = dir.resolve("receipts.jsonl");
    StoreLogWriter.writeReceipts(file, List.of(CHARGED, OPEN));

    assertThat(Files.readAllLines(file)).containsExactly(
        "{\"credential\":\"c-7f3a\",\"status\":\"CHARGED\",\"items\":[{\"sku\":\"0001\",\"qty\":2}],"
            + "\"total_minor\":398,\"exit_ts\":1764410702000,\"finalized_ts\":1764410702000}",
        "{\"credential\":\"c-a\",\"status\":\"OPEN\",\"items\":[],\"total_minor\":0,\"exit_ts\":null,"
            + "\"finalized_ts\":9000}");
  }

  @Test
  void theSameReceiptsGiveTheSameBytesWhateverTheirOrder() throws IOException {
    ReceiptRecord unsortedItems = new ReceiptRecord(Credential.of("c-z"), ReceiptStatus.CHARGED,
        List.of(new SkuQuantity(Sku.of("0009"), 1), new SkuQuantity(Sku.of("0002"), 1)), 10, 1L, 2L);
    List<ReceiptRecord> receipts = new ArrayList<>(List.of(CHARGED, REVIEW, OPEN, unsortedItems));
    StoreLogWriter.writeReceipts(dir.resolve("a.jsonl"), receipts);
    Collections.reverse(receipts);
    StoreLogWriter.writeReceipts(dir.resolve("b.jsonl"), receipts);

    assertThat(Files.readAllBytes(dir.resolve("a.jsonl"))).isEqualTo(Files.readAllBytes(dir.resolve("b.jsonl")));
    assertThat(Files.readString(dir.resolve("a.jsonl")))
        .contains("[{\"sku\":\"0002\",\"qty\":1},{\"sku\":\"0009\",\"qty\":1}]");
  }

  @Test
  void aMalformedReceiptIsReportedWithItsLine() throws IOException {
    Path file = dir.resolve("receipts.jsonl");
    Files.write(file, List.of(SPEC_EXAMPLE, "", SPEC_EXAMPLE.replace("CHARGED", "PAID")));

    StoreLogFormatException e =
        catchThrowableOfType(StoreLogFormatException.class, () -> StoreLogReader.readReceipts(file));

    assertThat(e.getMessage())
        .isEqualTo("receipts.jsonl:3: status is 'PAID', expected CHARGED, REVIEW or OPEN");
  }

  @Test
  void aReceiptItemNeedsAPositiveQuantity() throws IOException {
    Path file = dir.resolve("receipts.jsonl");
    Files.write(file, List.of(SPEC_EXAMPLE.replace("\"qty\": 2", "\"qty\": 0")));

    StoreLogFormatException e =
        catchThrowableOfType(StoreLogFormatException.class, () -> StoreLogReader.readReceipts(file));

    assertThat(e.line()).isEqualTo(1);
    assertThat(e.problem()).contains("items[0]").contains("quantity of 0001 must be positive");
  }
}
