package dev.jwo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of {@link Money}: its arithmetic is exact integer arithmetic on minor units or an exception (never a
 * wrapped-around amount), it never combines two currencies, and it prints exactly its amount in the currency's own
 * minor unit (cents, yen, fils).
 */
class MoneyPropertiesTest {
  private static final Currency USD = Currency.getInstance("USD");
  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  @Property(tries = 500)
  void plusAndMinusAreExactOrFailNeverWrap(@ForAll long a, @ForAll long b) {
    BigInteger sum = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
    BigInteger difference = BigInteger.valueOf(a).subtract(BigInteger.valueOf(b));
    Money x = new Money(a, USD);
    Money y = new Money(b, USD);

    if (fits(sum)) {
      assertThat(x.plus(y).minor()).isEqualTo(sum.longValueExact());
    } else {
      assertThatThrownBy(() -> x.plus(y)).isInstanceOf(ArithmeticException.class);
    }
    if (fits(difference)) {
      assertThat(x.minus(y).minor()).isEqualTo(difference.longValueExact());
    } else {
      assertThatThrownBy(() -> x.minus(y)).isInstanceOf(ArithmeticException.class);
    }
  }

  @Property(tries = 500)
  void timesIsExactOrFailsNeverWraps(@ForAll long minor, @ForAll long quantity) {
    BigInteger product = BigInteger.valueOf(minor).multiply(BigInteger.valueOf(quantity));
    Money m = new Money(minor, USD);

    if (fits(product)) {
      assertThat(m.times(quantity).minor()).isEqualTo(product.longValueExact());
    } else {
      assertThatThrownBy(() -> m.times(quantity)).isInstanceOf(ArithmeticException.class);
    }
  }

  @Property(tries = 300)
  void additionOfStoreSizedAmountsIsCommutativeAssociativeAndUndoneByMinus(
      @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long a,
      @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long b,
      @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long c) {
    Money x = new Money(a, USD);
    Money y = new Money(b, USD);
    Money z = new Money(c, USD);

    assertThat(x.plus(y)).isEqualTo(y.plus(x));
    assertThat(x.plus(y).plus(z)).isEqualTo(x.plus(y.plus(z)));
    assertThat(x.plus(y).minus(y)).isEqualTo(x);
    assertThat(x.plus(Money.zero(USD))).isEqualTo(x);
  }

  @Property(tries = 300)
  void timesDistributesOverPlusForLineSizedAmounts(
      @ForAll @LongRange(min = -10_000_000, max = 10_000_000) long a,
      @ForAll @LongRange(min = -10_000_000, max = 10_000_000) long b,
      @ForAll @LongRange(min = 0, max = 100_000) long quantity) {
    Money x = new Money(a, USD);
    Money y = new Money(b, USD);

    assertThat(x.plus(y).times(quantity)).isEqualTo(x.times(quantity).plus(y.times(quantity)));
  }

  @Property(tries = 300)
  void compareToOrdersByAmountAndAgreesWithTheSignOfTheDifference(
      @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long a,
      @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long b) {
    Money x = new Money(a, USD);
    Money y = new Money(b, USD);

    assertThat(Integer.signum(x.compareTo(y))).isEqualTo(Long.signum(x.minus(y).minor()));
    assertThat(x.compareTo(y)).isEqualTo(-y.compareTo(x));
    assertThat(x.minus(y).isNegative()).isEqualTo(a < b);
    assertThat(x.minus(y).isZero()).isEqualTo(x.equals(y));
  }

  @Property(tries = 300)
  void twoCurrenciesAreNeverCombined(@ForAll("currencies") Currency first, @ForAll("currencies") Currency second,
      @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long a,
      @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long b) {
    Money x = new Money(a, first);
    Money y = new Money(b, second);

    if (first.equals(second)) {
      assertThat(x.plus(y).currency()).isEqualTo(first);
      return;
    }
    for (Runnable combination : List.<Runnable>of(() -> x.plus(y), () -> x.minus(y), () -> x.compareTo(y))) {
      assertThatThrownBy(combination::run).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot combine " + first.getCurrencyCode() + " with " + second.getCurrencyCode());
    }
  }

  @Property(tries = 500)
  void itPrintsExactlyItsAmountInTheCurrencysMinorUnit(@ForAll("currencies") Currency currency,
      @ForAll long minor) {
    String printed = Money.ofMinor(minor, currency.getCurrencyCode()).toString();

    String prefix = currency.getCurrencyCode() + " ";
    assertThat(printed).startsWith(prefix);
    String number = printed.substring(prefix.length());
    assertThat(number).as("a plain number, no exponent").matches("-?[0-9]+(\\.[0-9]+)?");
    BigDecimal amount = new BigDecimal(number);
    int digits = Math.max(currency.getDefaultFractionDigits(), 0);
    assertThat(amount.scale()).isEqualTo(digits);
    assertThat(amount.unscaledValue()).isEqualTo(BigInteger.valueOf(minor));
  }

  @Provide
  Arbitrary<Currency> currencies() {
    // Two decimals (USD, EUR), none (JPY, KRW), three (BHD, KWD), and units without minor ones (XAU).
    return Arbitraries.of(Currency.getAvailableCurrencies().stream()
        .sorted(java.util.Comparator.comparing(Currency::getCurrencyCode)).toList());
  }

  private static boolean fits(BigInteger value) {
    return value.compareTo(MIN) >= 0 && value.compareTo(MAX) <= 0;
  }
}
