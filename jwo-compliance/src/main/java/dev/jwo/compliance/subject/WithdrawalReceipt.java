package dev.jwo.compliance.subject;

import dev.jwo.compliance.consent.Withdrawal;
import dev.jwo.compliance.vault.DestructionRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A withdrawal as recorded, and the destruction it caused (empty when a legal hold delays it; {@code heldBy} then
 * names the hold).
 */
public record WithdrawalReceipt(Withdrawal withdrawal, Optional<DestructionRecord> destruction, String heldBy) {
  public WithdrawalReceipt {
    Objects.requireNonNull(withdrawal, "withdrawal");
    Objects.requireNonNull(destruction, "destruction");
    Objects.requireNonNull(heldBy, "heldBy");
  }
}
