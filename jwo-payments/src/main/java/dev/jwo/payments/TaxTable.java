package dev.jwo.payments;

import dev.jwo.core.Money;
import dev.jwo.core.Sku;
import dev.jwo.core.visit.LineItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The store's sales tax, as configuration (the store log has no place for it): each product's category and each
 * category's rate. Tax is computed per category on the sum of that category's lines, in the currency's minor units,
 * rounded half up once per category, with no floating point. Immutable; {@link #NONE} taxes nothing.
 *
 * @param ratesPercent per category, its rate in percent (0 to 100, at most 4 decimals, e.g. {@code 8.875})
 * @param categories per product, its category; products not listed are in {@code defaultCategory}
 * @param defaultCategory the category of products not listed (must have a rate unless no rates are set)
 */
public record TaxTable(
    NavigableMap<String, BigDecimal> ratesPercent, Map<Sku, String> categories, String defaultCategory) {

  /** No tax on anything: receipts' totals are their subtotals. */
  public static final TaxTable NONE = new TaxTable(new TreeMap<>(), Map.of(), "general");

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  public TaxTable {
    Objects.requireNonNull(defaultCategory, "defaultCategory");
    NavigableMap<String, BigDecimal> rates = new TreeMap<>();
    for (Map.Entry<String, BigDecimal> rate : ratesPercent.entrySet()) {
      BigDecimal r = Objects.requireNonNull(rate.getValue(), "rate");
      if (rate.getKey().isBlank() || r.signum() < 0 || r.compareTo(HUNDRED) > 0
          || r.stripTrailingZeros().scale() > 4) {
        throw new IllegalArgumentException("the tax rate of category '" + rate.getKey() + "' must be between 0 and"
            + " 100 percent with at most 4 decimals, was " + r.toPlainString());
      }
      rates.put(rate.getKey(), r);
    }
    for (Map.Entry<Sku, String> c : categories.entrySet()) {
      if (!rates.containsKey(c.getValue())) {
        throw new IllegalArgumentException("product " + c.getKey() + " is in category '" + c.getValue()
            + "', which has no tax rate; the categories with rates are " + rates.keySet());
      }
    }
    if (!rates.isEmpty() && !rates.containsKey(defaultCategory)) {
      throw new IllegalArgumentException("the default category '" + defaultCategory + "' has no tax rate; the"
          + " categories with rates are " + rates.keySet());
    }
    ratesPercent = Collections.unmodifiableNavigableMap(rates);
    categories = Map.copyOf(categories);
  }

  /** The category {@code sku} is taxed in. */
  public String category(Sku sku) {
    return categories.getOrDefault(sku, defaultCategory);
  }

  /** The rate of {@code sku}'s category in percent (zero when no rates are set). */
  public BigDecimal ratePercent(Sku sku) {
    return ratesPercent.getOrDefault(category(sku), BigDecimal.ZERO);
  }

  /** The tax of each category that has lines, in category order; categories taxed at zero are left out. */
  public List<TaxLine> taxes(List<LineItem> items, Money zero) {
    NavigableMap<String, Money> taxable = new TreeMap<>();
    for (LineItem item : items) {
      taxable.merge(category(item.sku()), item.amount(), Money::plus);
    }
    List<TaxLine> lines = new ArrayList<>();
    for (Map.Entry<String, Money> c : taxable.entrySet()) {
      BigDecimal rate = ratesPercent.getOrDefault(c.getKey(), BigDecimal.ZERO);
      if (rate.signum() == 0) {
        continue;
      }
      long tax = BigDecimal.valueOf(c.getValue().minor()).multiply(rate).divide(HUNDRED)
          .setScale(0, RoundingMode.HALF_UP).longValueExact();
      lines.add(new TaxLine(c.getKey(), rate, c.getValue(), new Money(tax, zero.currency())));
    }
    return lines;
  }

  /** The sum of the lines' amounts, before tax. */
  public static Money subtotal(List<LineItem> items, Money zero) {
    Money subtotal = zero;
    for (LineItem item : items) {
      subtotal = subtotal.plus(item.amount());
    }
    return subtotal;
  }

  /** The tax on {@code items}: the sum of {@link #taxes}. */
  public Money tax(List<LineItem> items, Money zero) {
    Money tax = zero;
    for (TaxLine line : taxes(items, zero)) {
      tax = tax.plus(line.tax());
    }
    return tax;
  }

  /** What a party pays for {@code items}: subtotal plus tax. The one place a receipt's total is computed. */
  public Money total(List<LineItem> items, Money zero) {
    return subtotal(items, zero).plus(tax(items, zero));
  }

  /**
   * The tax of one category on a receipt.
   *
   * @param category the category
   * @param ratePercent its rate in percent
   * @param taxable the sum of the category's lines
   * @param tax the tax, rounded half up to the currency's minor unit
   */
  public record TaxLine(String category, BigDecimal ratePercent, Money taxable, Money tax) {
    public TaxLine {
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(ratePercent, "ratePercent");
      Objects.requireNonNull(taxable, "taxable");
      Objects.requireNonNull(tax, "tax");
    }
  }
}
