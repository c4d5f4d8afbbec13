package dev.jwo.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Money;
import dev.jwo.core.Sku;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.LineItem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of tax and refunds, stated rather than sampled: each category's tax is the exact rate of its lines'
 * sum rounded to the nearest minor unit (half up), a receipt's total does not depend on the order of its lines or on
 * how a quantity is split among lines, and refunding a receipt line by line, in any order, gives back exactly what
 * was charged, never a negative amount.
 */
class TaxPropertiesTest {
  private static final Sku[] SKUS = {Sku.of("0001"), Sku.of("0002"), Sku.of("0003"), Sku.of("0004")};
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final ReceiptBook untaxed = new ReceiptBook(new InMemoryStoreStorage(), TestLayouts.store());

  @Property(tries = 300)
  void eachCategorysTaxIsItsExactTaxRoundedHalfUpToTheMinorUnit(@ForAll("tables") TaxTable table,
      @ForAll("receipts") List<LineItem> items) {
    Money zero = Money.zero(TestLayouts.USD);
    for (TaxTable.TaxLine line : table.taxes(items, zero)) {
      BigDecimal exact = BigDecimal.valueOf(line.taxable().minor()).multiply(line.ratePercent()).divide(HUNDRED);
      BigDecimal error = BigDecimal.valueOf(line.tax().minor()).subtract(exact);
      assertThat(error.abs()).isLessThanOrEqualTo(new BigDecimal("0.5"));
      if (error.abs().compareTo(new BigDecimal("0.5")) == 0) {
        assertThat(error.signum()).as("a half rounds up").isPositive();
      }
      assertThat(line.tax().currency()).isEqualTo(zero.currency());
    }
    assertThat(table.total(items, zero))
        .isEqualTo(TaxTable.subtotal(items, zero).plus(table.tax(items, zero)));
  }

  @Property(tries = 300)
  void theTotalDependsNeitherOnTheLinesOrderNorOnHowAQuantityIsSplit(@ForAll("tables") TaxTable table,
      @ForAll("receipts") List<LineItem> items, @ForAll long seed) {
    Money zero = Money.zero(TestLayouts.USD);
    List<LineItem> shuffled = new ArrayList<>(items);
    Collections.shuffle(shuffled, new Random(seed));
    List<LineItem> split = new ArrayList<>();
    for (LineItem item : shuffled) {
      for (int unit = 0; unit < item.quantity(); unit++) {
        split.add(new LineItem(item.sku(), 1, item.unitPrice()));
      }
    }

    assertThat(table.total(shuffled, zero)).isEqualTo(table.total(items, zero));
    assertThat(table.total(split, zero)).isEqualTo(table.total(items, zero));
  }

  @Property(tries = 300)
  void aLineMoreNeverLowersTheTax(@ForAll("tables") TaxTable table, @ForAll("receipts") List<LineItem> items,
      @ForAll("lines") LineItem more) {
    Money zero = Money.zero(TestLayouts.USD);
    List<LineItem> longer = new ArrayList<>(items);
    longer.add(more);

    assertThat(table.tax(longer, zero)).isGreaterThanOrEqualTo(table.tax(items, zero));
  }

  @Property(tries = 200)
  void refundingEveryUnitInAnyOrderGivesBackExactlyTheTotalNeverANegativeAmount(
      @ForAll("tables") TaxTable table, @ForAll("receipts") List<LineItem> items, @ForAll long seed) {
    ReceiptBook book = new ReceiptBook(new InMemoryStoreStorage(), TestLayouts.store(), table);
    Random random = new Random(seed);
    Money charged = book.total(items);
    Money refunded = Money.zero(TestLayouts.USD);
    List<LineItem> left = new ArrayList<>(items);
    while (!left.isEmpty()) {
      int line = random.nextInt(left.size());
      int quantity = 1 + random.nextInt(left.get(line).quantity());
      Money refund = book.amountOf(left, line, quantity);
      assertThat(refund.isNegative()).as("refund of %s x line %s of %s", quantity, line, left).isFalse();
      refunded = refunded.plus(refund);
      left = ReceiptBook.without(left, line, quantity);
    }

    assertThat(refunded).isEqualTo(charged);
  }

  @Property(tries = 100)
  void withoutTaxTheTotalIsTheSubtotal(@ForAll("receipts") List<LineItem> items) {
    assertThat(untaxed.total(items)).isEqualTo(TaxTable.subtotal(items, Money.zero(TestLayouts.USD)));
  }

  @Provide
  Arbitrary<TaxTable> tables() {
    Arbitrary<BigDecimal> rate = Arbitraries.integers().between(0, 1_000_000).map(r -> BigDecimal.valueOf(r, 4));
    Arbitrary<String> category = Arbitraries.of("general", "food", "alcohol");
    return Combinators.combine(rate, rate, rate,
        Arbitraries.maps(Arbitraries.of(SKUS), category).ofMaxSize(SKUS.length)).as((general, food, alcohol, of) -> {
          TreeMap<String, BigDecimal> rates = new TreeMap<>(Map.of("general", general, "food", food,
              "alcohol", alcohol));
          return new TaxTable(rates, of, "general");
        });
  }

  @Provide
  Arbitrary<List<LineItem>> receipts() {
    return lines().list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<LineItem> lines() {
    return Combinators.combine(Arbitraries.of(SKUS), Arbitraries.integers().between(1, 6),
            Arbitraries.longs().between(0, 50_000))
        .as((sku, quantity, cents) -> new LineItem(sku, quantity, Money.ofMinor(cents, "USD")));
  }
}
