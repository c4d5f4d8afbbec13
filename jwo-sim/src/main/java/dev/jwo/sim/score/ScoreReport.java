package dev.jwo.sim.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How well a replay's receipts match the truth of a simulated log. Counts are over the truth's visits (one per
 * entry credential): every visit is exactly one of exact, wrong charge, review, open or missing. Item figures
 * are over units; see {@link Scorer} for the definitions.
 *
 * @param visits visits in the truth
 * @param receipts receipts read
 * @param exact CHARGED receipts whose items equal the truth
 * @param wrongCharges CHARGED receipts whose items differ from the truth
 * @param reviews REVIEW receipts
 * @param open OPEN receipts
 * @param missing truth visits without a receipt
 * @param unexpected receipts whose credential is not a truth visit, or repeat one already scored
 * @param truthUnits units the truth's parties took home
 * @param receiptUnits units on the scored receipts, whatever their status
 * @param matchedUnits units on the scored receipts that the truth agrees with (per SKU, the smaller quantity)
 * @param overchargedMinor over wrong charges, how much more was charged than the truth costs
 * @param underchargedMinor over wrong charges, how much less
 * @param latencyCount CHARGED and REVIEW receipts with a finalized time
 * @param latencyMedianMillis median of finalized time minus true exit time; null without such receipts
 * @param latencyP95Millis 95th percentile (nearest rank) of the same
 */
public record ScoreReport(
    int visits,
    int receipts,
    int exact,
    int wrongCharges,
    int reviews,
    int open,
    int missing,
    int unexpected,
    long truthUnits,
    long receiptUnits,
    long matchedUnits,
    long overchargedMinor,
    long underchargedMinor,
    int latencyCount,
    @Nullable Long latencyMedianMillis,
    @Nullable Long latencyP95Millis) {

  public double exactRate() {
    return rate(exact);
  }

  public double wrongChargeRate() {
    return rate(wrongCharges);
  }

  public double reviewRate() {
    return rate(reviews);
  }

  public double openRate() {
    return rate(open);
  }

  public double missingRate() {
    return rate(missing);
  }

  /** Matched units over receipt units; NaN when the receipts list no units. */
  public double itemPrecision() {
    return receiptUnits == 0 ? Double.NaN : matchedUnits / (double) receiptUnits;
  }

  /** Matched units over true units; NaN when nobody took anything. */
  public double itemRecall() {
    return truthUnits == 0 ? Double.NaN : matchedUnits / (double) truthUnits;
  }

  private double rate(int count) {
    return visits == 0 ? Double.NaN : count / (double) visits;
  }

  /** A table for people. */
  public String toTable() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%-16s %6d%n", "visits", visits));
    s.append(String.format(Locale.ROOT, "%-16s %6d%s%n", "receipts", receipts,
        unexpected == 0 ? "" : "  (" + unexpected + " for no visit of the truth)"));
    row(s, "exact", exact);
    row(s, "wrong charge", wrongCharges);
    row(s, "review", reviews);
    row(s, "open", open);
    row(s, "missing", missing);
    s.append(String.format(Locale.ROOT, "%-16s %8s  (%d of %d receipt units)%n", "item precision",
        percent(itemPrecision()), matchedUnits, receiptUnits));
    s.append(String.format(Locale.ROOT, "%-16s %8s  (%d of %d true units)%n", "item recall",
        percent(itemRecall()), matchedUnits, truthUnits));
    if (wrongCharges > 0) {
      s.append(String.format(Locale.ROOT, "%-16s overcharged %d, undercharged %d (minor units)%n",
          "wrong amounts", overchargedMinor, underchargedMinor));
    }
    if (latencyCount > 0) {
      s.append(String.format(Locale.ROOT, "%-16s median %s, p95 %s (%d receipts)%n", "exit to receipt",
          seconds(latencyMedianMillis), seconds(latencyP95Millis), latencyCount));
    } else {
      s.append(String.format(Locale.ROOT, "%-16s -%n", "exit to receipt"));
    }
    return s.toString();
  }

  private void row(StringBuilder s, String name, int count) {
    s.append(String.format(Locale.ROOT, "%-16s %6d %8s%n", name, count, percent(rate(count))));
  }

  /** {@code 87.5 %}, or {@code -} for NaN. */
  public static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
  }

  private static String seconds(@Nullable Long millis) {
    return millis == null ? "-" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  /** One JSON object (rates as fractions, undefined ones as null), on one line. */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode o = mapper.createObjectNode();
    o.put("visits", visits);
    o.put("receipts", receipts);
    o.put("exact", exact);
    o.put("wrong_charge", wrongCharges);
    o.put("review", reviews);
    o.put("open", open);
    o.put("missing", missing);
    o.put("unexpected_receipts", unexpected);
    putRate(o, "exact_rate", exactRate());
    putRate(o, "wrong_charge_rate", wrongChargeRate());
    putRate(o, "review_rate", reviewRate());
    putRate(o, "open_rate", openRate());
    putRate(o, "missing_rate", missingRate());
    o.put("truth_units", truthUnits);
    o.put("receipt_units", receiptUnits);
    o.put("matched_units", matchedUnits);
    putRate(o, "item_precision", itemPrecision());
    putRate(o, "item_recall", itemRecall());
    o.put("overcharged_minor", overchargedMinor);
    o.put("undercharged_minor", underchargedMinor);
    ObjectNode latency = o.putObject("exit_to_receipt_ms");
    latency.put("count", latencyCount);
    if (latencyMedianMillis == null) {
      latency.putNull("median");
    } else {
      latency.put("median", latencyMedianMillis);
    }
    if (latencyP95Millis == null) {
      latency.putNull("p95");
    } else {
      latency.put("p95", latencyP95Millis);
    }
    try {
      return mapper.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a score as JSON", e);
    }
  }

  private static void putRate(ObjectNode o, String field, double value) {
    if (Double.isNaN(value)) {
      o.putNull(field);
    } else {
      o.put(field, Math.round(value * 10_000) / 10_000.0);
    }
  }
}
