package dev.jwo.payments;

import dev.jwo.core.Money;
import dev.jwo.core.Product;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.visit.LineItem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A receipt as a shopper reads it: each line with its product's name, tax category and rate, then the subtotal,
 * the tax per category and the total charged. Built from a {@link ReceiptVersion} and the store's catalog and
 * {@link TaxTable}; render it with {@code dev.jwo.payments.render.ReceiptRenderer}.
 *
 * @param storeId the store
 * @param visitId the visit
 * @param version the receipt's version
 * @param status charged, held for review or open
 * @param finalizedTs when it was decided (event time, ms)
 * @param lines the lines
 * @param taxes the tax of each category with a rate
 * @param subtotal the sum of the lines
 * @param tax the sum of the taxes
 * @param total subtotal plus tax: the amount charged
 * @param amendment why this version was issued (empty for the first)
 */
public record ItemizedReceipt(
    String storeId,
    String visitId,
    int version,
    ReceiptStatus status,
    long finalizedTs,
    List<Line> lines,
    List<TaxTable.TaxLine> taxes,
    Money subtotal,
    Money tax,
    Money total,
    String amendment) {

  public ItemizedReceipt {
    Objects.requireNonNull(status, "status");
    lines = List.copyOf(lines);
    taxes = List.copyOf(taxes);
    if (!subtotal.plus(tax).equals(total)) {
      throw new IllegalArgumentException("subtotal " + subtotal + " plus tax " + tax + " is not the total " + total);
    }
  }

  /**
   * The itemized form of {@code receipt}, taxed by {@code taxes}.
   *
   * @throws IllegalArgumentException if the receipt's total is not its lines plus their tax under {@code taxes} (the
   *     rates changed since it was issued)
   */
  public static ItemizedReceipt of(ReceiptVersion receipt, StoreLayout layout, TaxTable taxes) {
    Receipt r = receipt.receipt();
    Money zero = Money.zero(r.total().currency());
    List<Line> lines = new ArrayList<>();
    for (LineItem item : r.items()) {
      String name = layout.product(item.sku()).map(Product::name).orElse(item.sku().value());
      lines.add(new Line(item.sku().value(), name, taxes.category(item.sku()), taxes.ratePercent(item.sku()),
          item.quantity(), item.unitPrice(), item.amount()));
    }
    List<TaxTable.TaxLine> taxLines = taxes.taxes(r.items(), zero);
    Money subtotal = TaxTable.subtotal(r.items(), zero);
    Money tax = taxes.tax(r.items(), zero);
    if (!subtotal.plus(tax).equals(r.total())) {
      throw new IllegalArgumentException("receipt of visit " + r.visitId() + " version " + receipt.version()
          + " totals " + r.total() + ", but its lines and today's tax rates give " + subtotal.plus(tax));
    }
    return new ItemizedReceipt(layout.storeId().value(), r.visitId().value(), receipt.version(), r.status(),
        r.finalizedTs(), lines, taxLines, subtotal, tax, r.total(), receipt.amendment());
  }

  /**
   * One line.
   *
   * @param sku the product
   * @param name its name in the catalog
   * @param category its tax category
   * @param ratePercent the category's rate
   * @param quantity units
   * @param unitPrice price of one
   * @param amount quantity times price
   */
  public record Line(String sku, String name, String category, BigDecimal ratePercent, int quantity,
      Money unitPrice, Money amount) {
    public Line {
      Objects.requireNonNull(sku, "sku");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(ratePercent, "ratePercent");
      Objects.requireNonNull(unitPrice, "unitPrice");
      Objects.requireNonNull(amount, "amount");
    }
  }
}
