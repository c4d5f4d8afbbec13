package dev.jwo.compliance;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A store's compliance at a glance, for the {@code demo} command and dashboards: releases, biometric features used
 * and dropped, destructions due and done, and whether the audit chain verifies. Holds no personal data.
 *
 * @param biometricFeatures per biometric camera feature kind (e.g. {@code face_geometry}): used and dropped
 * @param dropReasons why biometric features were dropped, with counts
 * @param destructionsDue destructions that fell due (done, or still pending because of a hold)
 * @param destructionsDone destructions recorded in the audit chain
 */
public record ComplianceSummary(
    String storeId,
    String jurisdiction,
    long consentsRecorded,
    long consentsWithdrawn,
    Map<String, Features> biometricFeatures,
    Map<String, Long> dropReasons,
    long destructionsDue,
    long destructionsDone,
    long templatesHeld,
    long auditRecords,
    boolean auditVerified,
    String auditHeadHash,
    String auditProblem) {

  public ComplianceSummary {
    Objects.requireNonNull(storeId, "storeId");
    Objects.requireNonNull(jurisdiction, "jurisdiction");
    biometricFeatures = Map.copyOf(new TreeMap<>(biometricFeatures));
    dropReasons = Map.copyOf(new TreeMap<>(dropReasons));
    Objects.requireNonNull(auditHeadHash, "auditHeadHash");
    Objects.requireNonNull(auditProblem, "auditProblem");
  }

  /** How many feature vectors of one kind were used and dropped. */
  public record Features(long used, long dropped) {}

  /** Biometric feature vectors used, over all kinds. */
  public long biometricUsed() {
    return biometricFeatures.values().stream().mapToLong(Features::used).sum();
  }

  /** Biometric feature vectors dropped at the door, over all kinds. */
  public long biometricDropped() {
    return biometricFeatures.values().stream().mapToLong(Features::dropped).sum();
  }

  /** A few lines for people. */
  public String toText() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("compliance (%s, %s):%n", storeId, jurisdiction));
    s.append(String.format("  consents: %d recorded, %d withdrawn%n", consentsRecorded, consentsWithdrawn));
    s.append(String.format("  biometric features: %d used, %d dropped%n", biometricUsed(), biometricDropped()));
    dropReasons.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(3)
        .forEach(e -> s.append(String.format("    dropped %d: %s%n", e.getValue(), e.getKey())));
    s.append(String.format("  destructions: %d due, %d done; %d templates held%n", destructionsDue, destructionsDone,
        templatesHeld));
    s.append(auditVerified
        ? String.format("  audit chain: %d records, verified, head %s%n", auditRecords, auditHeadHash)
        : String.format("  audit chain: %d records, NOT VERIFIED: %s%n", auditRecords, auditProblem));
    return s.toString();
  }
}
