package dev.jwo.sim.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.storelog.ReceiptRecord;
import dev.jwo.sim.truth.VisitTruth;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorerTest {
  static final Sku WATER = Sku.of("0001");
  static final Sku CHOC = Sku.of("0002");

  static VisitTruth visit(String credential, long exitTs, long total, SkuQuantity... items) {
    return new VisitTruth(Credential.of(credential), 1, null, dev.jwo.core.GateId.of("in-1"), exitTs - 60_000, exitTs, List.of(items), total,
        List.of("p-" + credential));
  }

  static ReceiptRecord receipt(String credential, ReceiptStatus status, long total, long finalizedTs,
      SkuQuantity... items) {
    return new ReceiptRecord(Credential.of(credential), status, List.of(items), total,
        status == ReceiptStatus.OPEN ? null : finalizedTs - 100, finalizedTs);
  }

  static SkuQuantity q(Sku sku, int n) {
    return new SkuQuantity(sku, n);
  }

  @Test
  void everyOutcomeIsCountedAndTheRatesAreOverTruthVisits() {
    List<VisitTruth> truth = List.of(
        visit("a", 10_000, 398, q(WATER, 2)),
        visit("b", 20_000, 199 + 349, q(WATER, 1), q(CHOC, 1)),
        visit("c", 30_000, 349, q(CHOC, 1)),
        visit("d", 40_000, 0),
        visit("e", 50_000, 199, q(WATER, 1)));
    List<ReceiptRecord> receipts = List.of(
        receipt("a", ReceiptStatus.CHARGED, 398, 11_000, q(WATER, 2)),
        receipt("b", ReceiptStatus.CHARGED, 199, 22_000, q(WATER, 1)),
        receipt("c", ReceiptStatus.REVIEW, 349, 33_000, q(CHOC, 1)),
        receipt("d", ReceiptStatus.OPEN, 0, 0),
        receipt("zz", ReceiptStatus.CHARGED, 199, 1_000, q(WATER, 1)));

    ScoreReport report = Scorer.score(truth, receipts);

    assertThat(report.visits()).isEqualTo(5);
    assertThat(report.receipts()).isEqualTo(5);
    assertThat(report.exact()).isEqualTo(1);
    assertThat(report.wrongCharges()).isEqualTo(1);
    assertThat(report.reviews()).isEqualTo(1);
    assertThat(report.open()).isEqualTo(1);
    assertThat(report.missing()).isEqualTo(1);
    assertThat(report.unexpected()).isEqualTo(1);
    assertThat(report.exactRate()).isEqualTo(0.2);
    assertThat(report.wrongChargeRate()).isEqualTo(0.2);
    assertThat(report.reviewRate()).isEqualTo(0.2);
    assertThat(report.underchargedMinor()).isEqualTo(349);
    assertThat(report.overchargedMinor()).isZero();
    // truth units: 2 + 2 + 1 + 0 + 1 = 6; receipt units (a, b, c, d): 2 + 1 + 1 + 0 = 4, all of them right
    assertThat(report.truthUnits()).isEqualTo(6);
    assertThat(report.receiptUnits()).isEqualTo(4);
    assertThat(report.matchedUnits()).isEqualTo(4);
    assertThat(report.itemPrecision()).isEqualTo(1.0);
    assertThat(report.itemRecall()).isCloseTo(4 / 6.0, within(1e-9));
    // latencies of a, b, c: 1 s, 2 s, 3 s; the open receipt has none
    assertThat(report.latencyCount()).isEqualTo(3);
    assertThat(report.latencyMedianMillis()).isEqualTo(2_000);
    assertThat(report.latencyP95Millis()).isEqualTo(3_000);
  }

  @Test
  void overchargesAndWrongSkusLowerPrecision() {
    List<VisitTruth> truth = List.of(visit("a", 10_000, 199, q(WATER, 1)));
    List<ReceiptRecord> receipts =
        List.of(receipt("a", ReceiptStatus.CHARGED, 199 * 2 + 349, 10_500, q(WATER, 2), q(CHOC, 1)));

    ScoreReport report = Scorer.score(truth, receipts);

    assertThat(report.wrongCharges()).isEqualTo(1);
    assertThat(report.overchargedMinor()).isEqualTo(199 + 349);
    assertThat(report.itemPrecision()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(report.itemRecall()).isEqualTo(1.0);
    assertThat(report.latencyMedianMillis()).isEqualTo(500);
  }

  @Test
  void aSecondReceiptForACredentialIsUnexpectedAndLinesOfOneSkuAddUp() {
    List<VisitTruth> truth = List.of(visit("a", 10_000, 398, q(WATER, 2)));
    List<ReceiptRecord> receipts = List.of(
        receipt("a", ReceiptStatus.CHARGED, 398, 10_000, q(WATER, 1), q(WATER, 1)),
        receipt("a", ReceiptStatus.CHARGED, 0, 10_000));

    ScoreReport report = Scorer.score(truth, receipts);

    assertThat(report.exact()).isEqualTo(1);
    assertThat(report.unexpected()).isEqualTo(1);
  }

  @Test
  void withNothingToMeasureFiguresAreUndefinedNotPerfect() {
    ScoreReport report = Scorer.score(List.of(visit("a", 10_000, 0)), List.of());

    assertThat(report.missing()).isEqualTo(1);
    assertThat(report.itemPrecision()).isNaN();
    assertThat(report.itemRecall()).isNaN();
    assertThat(report.latencyMedianMillis()).isNull();
    assertThat(report.toJson()).contains("\"item_precision\":null", "\"missing\":1", "\"median\":null");
    assertThat(report.toTable()).contains("missing", "100.0 %");
  }

  @Test
  void nearestRankPercentiles() {
    List<Long> values = java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList();
    assertThat(Scorer.nearestRank(values, 0.5)).isEqualTo(10);
    assertThat(Scorer.nearestRank(values, 0.95)).isEqualTo(19);
    assertThat(Scorer.nearestRank(List.of(7L), 0.95)).isEqualTo(7);
  }
}
