package dev.jwo.payments.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jwo.core.Money;
import dev.jwo.payments.ItemizedReceipt;
import dev.jwo.payments.TaxTable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Renders an {@link ItemizedReceipt} as JSON (amounts in minor units with the currency, for programs), plain text
 * (fixed columns) or HTML (a self-contained page; every text from the catalog or the receipt is escaped). The same
 * receipt always renders to the same bytes.
 */
public final class ReceiptRenderer {
  /** The formats a receipt renders to. */
  public enum Format {
    JSON("application/json"),
    TEXT("text/plain; charset=utf-8"),
    HTML("text/html; charset=utf-8");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReceiptRenderer() {}

  public static String render(ItemizedReceipt receipt, Format format) {
    return switch (format) {
      case JSON -> json(receipt);
      case TEXT -> text(receipt);
      case HTML -> html(receipt);
    };
  }

  /** One JSON object: store, visit, version, status, lines, taxes, subtotal, tax, total (each amount as minor units). */
  public static String json(ItemizedReceipt r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("store", r.storeId());
    root.put("visit", r.visitId());
    root.put("version", r.version());
    root.put("status", r.status().name());
    root.put("finalized_ts_ms", r.finalizedTs());
    root.put("currency", r.total().currency().getCurrencyCode());
    ArrayNode lines = root.putArray("lines");
    for (ItemizedReceipt.Line line : r.lines()) {
      ObjectNode l = lines.addObject();
      l.put("sku", line.sku());
      l.put("name", line.name());
      l.put("category", line.category());
      l.put("tax_rate_percent", line.ratePercent().toPlainString());
      l.put("quantity", line.quantity());
      l.put("unit_price_minor", line.unitPrice().minor());
      l.put("amount_minor", line.amount().minor());
    }
    ArrayNode taxes = root.putArray("taxes");
    for (TaxTable.TaxLine tax : r.taxes()) {
      ObjectNode t = taxes.addObject();
      t.put("category", tax.category());
      t.put("rate_percent", tax.ratePercent().toPlainString());
      t.put("taxable_minor", tax.taxable().minor());
      t.put("tax_minor", tax.tax().minor());
    }
    root.put("subtotal_minor", r.subtotal().minor());
    root.put("tax_minor", r.tax().minor());
    root.put("total_minor", r.total().minor());
    if (!r.amendment().isEmpty()) {
      root.put("amendment", r.amendment());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Plain text, 48 columns wide. */
  public static String text(ItemizedReceipt r) {
    StringBuilder b = new StringBuilder();
    b.append("Receipt ").append(r.storeId()).append(" / ").append(r.visitId()).append('\n');
    b.append("Version ").append(r.version()).append(", ").append(status(r)).append(", ")
        .append(Instant.ofEpochMilli(r.finalizedTs())).append('\n');
    if (!r.amendment().isEmpty()) {
      b.append("Amended: ").append(r.amendment()).append('\n');
    }
    b.append("-".repeat(48)).append('\n');
    for (ItemizedReceipt.Line line : r.lines()) {
      b.append(row(line.name(), amount(line.amount())));
      b.append(row("  " + line.quantity() + " x " + amount(line.unitPrice()) + "  " + line.sku() + "  "
          + line.category(), ""));
    }
    b.append("-".repeat(48)).append('\n');
    b.append(row("Subtotal", amount(r.subtotal())));
    for (TaxTable.TaxLine tax : r.taxes()) {
      b.append(row("Tax " + tax.category() + " " + percent(tax.ratePercent()) + " on " + amount(tax.taxable()),
          amount(tax.tax())));
    }
    if (r.taxes().isEmpty()) {
      b.append(row("Tax", amount(r.tax())));
    }
    b.append(row("Total " + r.total().currency().getCurrencyCode(), amount(r.total())));
    return b.toString();
  }

  /** A self-contained HTML page; names, categories and notes are escaped. */
  public static String html(ItemizedReceipt r) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Receipt ")
        .append(escape(r.visitId())).append("</title></head>\n<body>\n");
    b.append("<h1>Receipt</h1>\n<p>Store ").append(escape(r.storeId())).append(", visit ")
        .append(escape(r.visitId())).append(", version ").append(r.version()).append(", ")
        .append(escape(status(r))).append(", ").append(Instant.ofEpochMilli(r.finalizedTs())).append("</p>\n");
    if (!r.amendment().isEmpty()) {
      b.append("<p>Amended: ").append(escape(r.amendment())).append("</p>\n");
    }
    b.append("<table>\n<thead><tr><th>Product</th><th>SKU</th><th>Category</th><th>Qty</th><th>Unit price</th>"
        + "<th>Amount</th></tr></thead>\n<tbody>\n");
    for (ItemizedReceipt.Line line : r.lines()) {
      b.append("<tr><td>").append(escape(line.name())).append("</td><td>").append(escape(line.sku()))
          .append("</td><td>").append(escape(line.category())).append("</td><td>").append(line.quantity())
          .append("</td><td>").append(amount(line.unitPrice())).append("</td><td>").append(amount(line.amount()))
          .append("</td></tr>\n");
    }
    b.append("</tbody>\n<tfoot>\n<tr><th colspan=\"5\">Subtotal</th><td>").append(amount(r.subtotal()))
        .append("</td></tr>\n");
    for (TaxTable.TaxLine tax : r.taxes()) {
      b.append("<tr><th colspan=\"5\">Tax ").append(escape(tax.category())).append(' ')
          .append(percent(tax.ratePercent())).append(" on ").append(amount(tax.taxable())).append("</th><td>")
          .append(amount(tax.tax())).append("</td></tr>\n");
    }
    if (r.taxes().isEmpty()) {
      b.append("<tr><th colspan=\"5\">Tax</th><td>").append(amount(r.tax())).append("</td></tr>\n");
    }
    b.append("<tr><th colspan=\"5\">Total ").append(r.total().currency().getCurrencyCode()).append("</th><td>")
        .append(amount(r.total())).append("</td></tr>\n</tfoot>\n</table>\n</body></html>\n");
    return b.toString();
  }

  /** Text with {@code & < > " '} replaced by character references. */
  public static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String status(ItemizedReceipt r) {
    return switch (r.status()) {
      case CHARGED -> "charged";
      case REVIEW -> "held for review";
      case OPEN -> "open";
    };
  }

  /** An amount in the currency's decimals, without the code: {@code 3.98}, {@code 500} for yen. */
  static String amount(Money money) {
    int digits = Math.max(money.currency().getDefaultFractionDigits(), 0);
    return BigDecimal.valueOf(money.minor(), digits).toPlainString();
  }

  private static String percent(BigDecimal rate) {
    return rate.stripTrailingZeros().toPlainString() + "%";
  }

  private static String row(String left, String right) {
    int width = 48;
    String l = left.length() + right.length() + 1 > width ? left.substring(0, Math.max(0,
        width - right.length() - 2)) + "~" : left;
    return l + " ".repeat(Math.max(1, width - l.length() - right.length())) + right + "\n";
  }
}
