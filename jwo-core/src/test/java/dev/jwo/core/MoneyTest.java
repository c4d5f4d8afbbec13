package dev.jwo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import org.junit.jupiter.api.Test;

class MoneyTest {
  private static final Money USD_1_99 = Money.ofMinor(199, "USD");

  @Test
  void addsSubtractsAndMultipliesInMinorUnits() {
    assertThat(USD_1_99.plus(Money.ofMinor(1, "USD"))).isEqualTo(Money.ofMinor(200, "USD"));
    assertThat(USD_1_99.minus(Money.ofMinor(200, "USD"))).isEqualTo(Money.ofMinor(-1, "USD"));
    assertThat(USD_1_99.times(3)).isEqualTo(Money.ofMinor(597, "USD"));
    assertThat(USD_1_99.times(0).isZero()).isTrue();
    assertThat(Money.ofMinor(-1, "USD").isNegative()).isTrue();
    assertThat(Money.zero(Currency.getInstance("EUR"))).isEqualTo(Money.ofMinor(0, "EUR"));
  }

  @Test
  void overflowFailsInsteadOfWrappingAround() {
    Money max = Money.ofMinor(Long.MAX_VALUE, "USD");
    assertThatThrownBy(() -> max.plus(Money.ofMinor(1, "USD"))).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Money.ofMinor(Long.MIN_VALUE, "USD").minus(Money.ofMinor(1, "USD")))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Money.ofMinor(Long.MAX_VALUE / 2 + 1, "USD").times(2))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void mixingCurrenciesFailsNamingBoth() {
    Money euros = Money.ofMinor(199, "EUR");
    assertThatThrownBy(() -> USD_1_99.plus(euros))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("USD")
        .hasMessageContaining("EUR");
    assertThatThrownBy(() -> USD_1_99.minus(euros)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> USD_1_99.compareTo(euros)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void comparesByAmountWithinACurrency() {
    assertThat(USD_1_99).isLessThan(Money.ofMinor(200, "USD")).isGreaterThan(Money.ofMinor(-5, "USD"));
    assertThat(USD_1_99.compareTo(Money.ofMinor(199, "USD"))).isZero();
  }

  @Test
  void printsTheCurrencyAndTheAmountInMajorUnits() {
    assertThat(Money.ofMinor(398, "USD")).hasToString("USD 3.98");
    assertThat(Money.ofMinor(5, "USD")).hasToString("USD 0.05");
    assertThat(Money.ofMinor(-5, "USD")).hasToString("USD -0.05");
    assertThat(Money.ofMinor(0, "EUR")).hasToString("EUR 0.00");
    assertThat(Money.ofMinor(500, "JPY")).hasToString("JPY 500");
    assertThat(Money.ofMinor(1234, "BHD")).hasToString("BHD 1.234");
  }

  @Test
  void requiresACurrency() {
    assertThatThrownBy(() -> new Money(1, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Money.ofMinor(1, "XYZW")).isInstanceOf(IllegalArgumentException.class);
  }
}
