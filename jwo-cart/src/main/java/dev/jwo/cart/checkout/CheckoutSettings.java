package dev.jwo.cart.checkout;

/**
 * @param graceMillis how long after the last member's exit the checkout waits for shelf changes still settling
 * @param chargeThreshold a visit is charged at the door when the probability that its whole receipt is right is at
 *     least this; otherwise it is held for review with the lines in doubt
 */
public record CheckoutSettings(long graceMillis, double chargeThreshold) {
  /**
   * The default threshold, chosen from the benchmark's calibration (see docs/BENCHMARKS.md): on the simulated
   * normal and busy stores (seeds 1 to 3) receipts predicted right with p 0.95 to 0.98 were wrong about one time in
   * ten, through shelf events the detector missed, which no probability can see; from 0.98 none was.
   */
  public static final double DEFAULT_THRESHOLD = 0.98;
  public static final CheckoutSettings DEFAULTS = new CheckoutSettings(1_500, DEFAULT_THRESHOLD);

  public CheckoutSettings {
    if (graceMillis < 0) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    if (!(chargeThreshold > 0 && chargeThreshold <= 1)) {
      throw new IllegalArgumentException("the charge threshold must be within (0, 1]");
    }
  }

  /** Settings with the default threshold. */
  public CheckoutSettings(long graceMillis) {
    this(graceMillis, DEFAULT_THRESHOLD);
  }
}
