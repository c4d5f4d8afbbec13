package dev.jwo.compliance.audit;

import java.util.Objects;

/**
 * The result of verifying the audit chain.
 *
 * @param valid whether every record is intact and in place
 * @param recordsChecked how many records were read
 * @param headHash the hash of the last intact record (the genesis hash for an empty chain)
 * @param firstBadPosition the position of the first record that fails, or -1 when valid
 * @param problem what is wrong there, or empty when valid
 */
public record AuditVerification(
    boolean valid, long recordsChecked, String headHash, long firstBadPosition, String problem) {
  public AuditVerification {
    Objects.requireNonNull(headHash, "headHash");
    Objects.requireNonNull(problem, "problem");
  }

  @Override
  public String toString() {
    return valid
        ? "audit chain verified: " + recordsChecked + " records, head " + headHash
        : "audit chain BROKEN at record " + firstBadPosition + ": " + problem;
  }
}
