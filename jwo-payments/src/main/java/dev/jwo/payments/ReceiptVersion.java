package dev.jwo.payments;

import java.util.Objects;

/**
 * One version of a visit's receipt: 1 as first issued, then one more per amendment.
 *
 * @param amendment why this version was issued (empty for the first)
 */
public record ReceiptVersion(int version, Receipt receipt, String amendment) {
  public ReceiptVersion {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(amendment, "amendment");
    if (version < 1) {
      throw new IllegalArgumentException("a receipt version starts at 1");
    }
  }
}
