package dev.jwo.sim.score;

import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.storelog.ReceiptRecord;
import dev.jwo.sim.truth.VisitTruth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Grades receipts against the truth, as the store-log specification's last section defines:
 *
 * <ul>
 *   <li>Receipts are matched to visits by credential. A visit without a receipt is <em>missing</em>; a receipt
 *       for no visit, or a second one for the same credential, is <em>unexpected</em> and otherwise ignored.
 *   <li>A visit is <em>exact</em> when its receipt is CHARGED and its items (by SKU, with quantity) equal the
 *       truth; a <em>wrong charge</em> when CHARGED with other items; else it counts by status (REVIEW, OPEN).
 *       Rates are over the truth's visits.
 *   <li>Item precision and recall are over units, for every matched receipt whatever its status: per visit and
 *       SKU, the matched units are the smaller of the receipt's and the truth's quantity. Precision is matched
 *       units over the receipts' units, recall matched units over the truth's units (a missing receipt matches
 *       none of its visit's units).
 *   <li>Exit-to-receipt latency is the receipt's finalized time minus the truth's exit time (when the last
 *       member really left), over CHARGED and REVIEW receipts; median and 95th percentile by nearest rank.
 * </ul>
 */
public final class Scorer {
  private Scorer() {}

  public static ScoreReport score(List<VisitTruth> truth, List<ReceiptRecord> receipts) {
    Map<Credential, ReceiptRecord> byCredential = new HashMap<>();
    Map<Credential, VisitTruth> visits = new HashMap<>();
    truth.forEach(v -> visits.put(v.credential(), v));
    int unexpected = 0;
    for (ReceiptRecord receipt : receipts) {
      if (!visits.containsKey(receipt.credential()) || byCredential.containsKey(receipt.credential())) {
        unexpected++;
      } else {
        byCredential.put(receipt.credential(), receipt);
      }
    }
    int exact = 0;
    int wrong = 0;
    int review = 0;
    int open = 0;
    int missing = 0;
    long truthUnits = 0;
    long receiptUnits = 0;
    long matched = 0;
    long over = 0;
    long under = 0;
    List<Long> latencies = new ArrayList<>();
    for (VisitTruth visit : truth) {
      Map<Sku, Integer> expected = quantities(visit.items());
      truthUnits += visit.units();
      ReceiptRecord receipt = byCredential.get(visit.credential());
      if (receipt == null) {
        missing++;
        continue;
      }
      Map<Sku, Integer> got = quantities(receipt.items());
      for (Map.Entry<Sku, Integer> line : got.entrySet()) {
        receiptUnits += line.getValue();
        matched += Math.min(line.getValue(), expected.getOrDefault(line.getKey(), 0));
      }
      switch (receipt.status()) {
        case CHARGED -> {
          if (got.equals(expected)) {
            exact++;
          } else {
            wrong++;
            long delta = receipt.totalMinor() - visit.totalMinor();
            if (delta > 0) {
              over += delta;
            } else {
              under -= delta;
            }
          }
        }
        case REVIEW -> review++;
        case OPEN -> open++;
      }
      if (receipt.status() != ReceiptStatus.OPEN) {
        latencies.add(receipt.finalizedTs() - visit.exitTs());
      }
    }
    latencies.sort(null);
    return new ScoreReport(truth.size(), receipts.size(), exact, wrong, review, open, missing, unexpected,
        truthUnits, receiptUnits, matched, over, under, latencies.size(),
        nearestRank(latencies, 0.50), nearestRank(latencies, 0.95));
  }

  /** Quantities by SKU, lines of the same SKU added up, zero quantities left out. */
  private static Map<Sku, Integer> quantities(List<SkuQuantity> items) {
    Map<Sku, Integer> map = new TreeMap<>();
    for (SkuQuantity item : items) {
      map.merge(item.sku(), item.quantity(), Integer::sum);
    }
    return map;
  }

  /** The nearest-rank percentile of sorted values, or null if there are none. */
  static @Nullable Long nearestRank(List<Long> sorted, double fraction) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(fraction * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
  }
}
