package dev.jwo.compliance.evidence;

import java.util.Map;
import java.util.TreeMap;

/**
 * What became of one kind of camera feature vectors: how many were received, used and dropped, and how many were
 * dropped for each reason (the reason followed by the rule in brackets).
 */
public record FeatureCounts(long received, long used, long dropped, Map<String, Long> dropReasons) {
  public FeatureCounts {
    dropReasons = Map.copyOf(new TreeMap<>(dropReasons));
  }
}
