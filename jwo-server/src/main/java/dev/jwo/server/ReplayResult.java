package dev.jwo.server;

import dev.jwo.compliance.ComplianceSummary;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.pipeline.PipelineStats;
import dev.jwo.payments.Receipt;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay did: the events read and what became of them, examples of the rejections (with their line),
 * the receipts written, and what the compliance module allowed, dropped and destroyed.
 */
public record ReplayResult(
    long linesRead,
    PipelineStats pipeline,
    List<String> rejectionExamples,
    List<Receipt> receipts,
    Path receiptsFile,
    ComplianceSummary compliance) {

  public ReplayResult {
    rejectionExamples = List.copyOf(rejectionExamples);
    receipts = List.copyOf(receipts);
  }

  public Map<ReceiptStatus, Long> receiptsByStatus() {
    Map<ReceiptStatus, Long> counts = new EnumMap<>(ReceiptStatus.class);
    for (ReceiptStatus status : ReceiptStatus.values()) {
      counts.put(status, 0L);
    }
    receipts.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
    return counts;
  }

  /** A few lines for people. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("events: %d read, %d accepted, %d rejected%n",
        linesRead, pipeline.accepted(), pipeline.rejectedTotal()));
    pipeline.rejected().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> s.append(String.format("  rejected %-13s %d%n", e.getKey(), e.getValue())));
    for (String example : rejectionExamples) {
      s.append("  e.g. ").append(example).append(System.lineSeparator());
    }
    Map<ReceiptStatus, Long> byStatus = receiptsByStatus();
    s.append(String.format("receipts: %d (%d charged, %d review, %d open) -> %s%n",
        receipts.size(), byStatus.get(ReceiptStatus.CHARGED), byStatus.get(ReceiptStatus.REVIEW),
        byStatus.get(ReceiptStatus.OPEN), receiptsFile));
    if (pipeline.handlerErrors() > 0) {
      s.append(String.format("WARNING: %d internal errors while processing; see the log%n", pipeline.handlerErrors()));
    }
    return s.toString();
  }
}
