package dev.jwo.cart.checkout;

/**
 * @param graceMillis how long after the last member's exit the checkout waits for shelf changes still settling
 */
public record CheckoutSettings(long graceMillis) {
  public static final CheckoutSettings DEFAULTS = new CheckoutSettings(1_500);

  public CheckoutSettings {
    if (graceMillis < 0) {
      throw new IllegalArgumentException("grace must not be negative");
    }
  }
}
