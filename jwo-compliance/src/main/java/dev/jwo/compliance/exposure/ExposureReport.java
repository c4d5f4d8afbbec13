package dev.jwo.compliance.exposure;

import java.util.List;
import java.util.Objects;

/** A store's exposure, per applicable law, with totals in US cents. */
public record ExposureReport(String storeId, String jurisdiction, long asOfTs, List<ExposureLine> lines) {
  public ExposureReport {
    Objects.requireNonNull(storeId, "storeId");
    Objects.requireNonNull(jurisdiction, "jurisdiction");
    lines = List.copyOf(lines);
  }

  public long totalNegligentMinor() {
    return lines.stream().mapToLong(ExposureLine::totalNegligentMinor).sum();
  }

  public long totalIntentionalMinor() {
    return lines.stream().mapToLong(ExposureLine::totalIntentionalMinor).sum();
  }
}
