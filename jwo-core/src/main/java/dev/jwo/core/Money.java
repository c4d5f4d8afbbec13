package dev.jwo.core;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in integer minor units (cents) of one currency. No floating point is involved
 * anywhere; arithmetic fails on overflow or on mixing currencies.
 */
public record Money(long minor, Currency currency) implements Comparable<Money> {

  public Money {
    Objects.requireNonNull(currency, "currency");
  }

  public static Money ofMinor(long minor, String currencyCode) {
    return new Money(minor, Currency.getInstance(currencyCode));
  }

  public static Money zero(Currency currency) {
    return new Money(0, currency);
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(minor, other.minor), currency);
  }

  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.subtractExact(minor, other.minor), currency);
  }

  public Money times(long quantity) {
    return new Money(Math.multiplyExact(minor, quantity), currency);
  }

  public boolean isZero() {
    return minor == 0;
  }

  public boolean isNegative() {
    return minor < 0;
  }

  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    return Long.compare(minor, other.minor);
  }

  /** For display only, e.g. {@code "USD 3.98"}. */
  @Override
  public String toString() {
    int digits = Math.max(currency.getDefaultFractionDigits(), 0);
    return currency.getCurrencyCode() + " " + BigDecimal.valueOf(minor, digits).toPlainString();
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "cannot combine " + currency.getCurrencyCode() + " with " + other.currency.getCurrencyCode());
    }
  }
}
