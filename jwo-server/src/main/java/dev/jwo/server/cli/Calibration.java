package dev.jwo.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.SkuQuantity;
import dev.jwo.sim.truth.VisitTruth;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the checkout's probabilities mean what they say: from a decision trace's receipt lines and the truth,
 * predicted against observed exactness (a reliability table), and the review rate and wrong-charge rate the
 * checkout would have at each threshold.
 */
record Calibration(List<Visit> visits) {
  static final double[] EDGES = {0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0000001};
  static final double[] THRESHOLDS = {0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999};

  /** One decided visit: its predicted probability of being right, and whether its items equal the truth. */
  record Visit(double predicted, boolean right) {}

  static Calibration read(Path trace, List<VisitTruth> truth) throws IOException {
    Map<String, Map<String, Integer>> expected = new HashMap<>();
    for (VisitTruth v : truth) {
      expected.put(Admission.visitIdFor(v.entryGate(), v.entryTs()).value(), quantities(v.items()));
    }
    ObjectMapper mapper = new ObjectMapper();
    List<Visit> visits = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode o = mapper.readTree(line);
        if (!"receipt".equals(o.path("type").asText()) || "OPEN".equals(o.path("status").asText())) {
          continue;
        }
        Map<String, Integer> items = new TreeMap<>();
        o.path("items").forEach(i -> items.merge(i.path("sku").asText(), i.path("qty").asInt(), Integer::sum));
        Map<String, Integer> want = expected.get(o.path("visit").asText());
        visits.add(new Visit(o.path("p_right").asDouble(), items.equals(want)));
      }
    }
    return new Calibration(visits);
  }

  private static Map<String, Integer> quantities(List<SkuQuantity> items) {
    Map<String, Integer> map = new TreeMap<>();
    items.forEach(i -> map.merge(i.sku().value(), i.quantity(), Integer::sum));
    return map;
  }

  /** Markdown: the reliability table and the threshold trade-off. */
  String toMarkdown(String preset) {
    StringBuilder s = new StringBuilder();
    s.append("Reliability, `").append(preset).append("` (predicted P(receipt right) against how many were right):\n\n");
    s.append("| predicted | receipts | mean predicted | observed right |\n|---|---:|---:|---:|\n");
    for (int i = 0; i + 1 < EDGES.length; i++) {
      double lo = EDGES[i];
      double hi = EDGES[i + 1];
      List<Visit> in = visits.stream().filter(v -> v.predicted() >= lo && v.predicted() < hi).toList();
      if (in.isEmpty()) {
        continue;
      }
      s.append(String.format(Locale.ROOT, "| %s to %s | %d | %.3f | %.3f |%n", lo, hi > 1 ? "1" : hi, in.size(),
          in.stream().mapToDouble(Visit::predicted).average().orElse(0),
          in.stream().filter(Visit::right).count() / (double) in.size()));
    }
    s.append("\nThreshold trade-off, `").append(preset).append("` (charged at or above the threshold):\n\n");
    s.append("| threshold | review | wrong charge | exact |\n|---:|---:|---:|---:|\n");
    int n = Math.max(1, visits.size());
    for (double t : THRESHOLDS) {
      long review = visits.stream().filter(v -> v.predicted() < t).count();
      long wrong = visits.stream().filter(v -> v.predicted() >= t && !v.right()).count();
      long exact = visits.stream().filter(v -> v.predicted() >= t && v.right()).count();
      s.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f %% |%n", t, 100.0 * review / n,
          100.0 * wrong / n, 100.0 * exact / n));
    }
    return s.toString();
  }
}
