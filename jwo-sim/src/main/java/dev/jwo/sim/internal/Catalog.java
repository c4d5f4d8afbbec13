package dev.jwo.sim.internal;

import dev.jwo.core.Money;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A convenience store's catalog: product lines with realistic prices and unit weights. Variants of one line
 * (flavours, sizes of the same can) weigh nearly the same and sit next to each other on the shelf, as in real
 * planograms; a few lines of different categories also weigh nearly the same (a 500 ml can of beer and of
 * sparkling water). Fresh goods vary from unit to unit far more than packaged ones.
 */
final class Catalog {
  /** One product line: its name, nominal grams, the spread between units, price in cents, and its variants. */
  private record Line(String name, double grams, double unitSd, long cents, boolean ageRestricted,
      List<String> variants) {}

  private static Line line(String name, double grams, double unitSd, long cents, boolean ageRestricted,
      String... variants) {
    return new Line(name, grams, unitSd, cents, ageRestricted, List.of(variants));
  }

  private static final List<Line> LINES = List.of(
      line("Sparkling water 500 ml", 521, 3, 129, false, "Plain", "Lemon", "Lime", "Grapefruit"),
      line("Lager beer 500 ml can", 522, 3, 219, true, "Lager", "Pale ale"),
      line("Cola 330 ml can", 346, 2.5, 119, false, "Classic", "Zero", "Cherry"),
      line("Iced tea 500 ml", 532, 3.5, 189, false, "Peach", "Lemon", "Green"),
      line("Energy drink 250 ml", 276, 2, 229, false, "Original", "Sugar free", "Tropical"),
      line("Orange juice 1 l", 1_082, 8, 349, false, "Smooth", "With pulp"),
      line("Still water 1.5 l", 1_561, 9, 99, false),
      line("Milk 1 l", 1_041, 7, 159, false, "Whole", "Semi-skimmed"),
      line("Oat drink 1 l", 1_046, 7, 229, false),
      line("Greek yogurt 150 g", 163, 2, 149, false, "Plain", "Honey", "Strawberry"),
      line("Butter 250 g", 253, 1.5, 379, false),
      line("Cheddar 200 g", 206, 3, 449, false, "Mild", "Mature"),
      line("Eggs, 6 pack", 418, 12, 329, false),
      line("Sandwich", 212, 6, 449, false, "Ham and cheese", "Chicken", "Veggie"),
      line("Croissant", 64, 5, 129, false),
      line("Bread loaf 500 g", 507, 9, 279, false, "White", "Wholemeal"),
      line("Banana", 121, 17, 35, false),
      line("Apple", 182, 24, 79, false, "Gala", "Granny Smith"),
      line("Dark chocolate 100 g", 108, 1, 299, false, "70 %", "85 %", "Sea salt", "Orange"),
      line("Milk chocolate bar 45 g", 49, 0.8, 129, false, "Plain", "Hazelnut", "Caramel"),
      line("Crisps 150 g", 166, 2, 279, false, "Salted", "Salt and vinegar", "Paprika", "Cheese and onion"),
      line("Tortilla chips 200 g", 214, 2.5, 259, false, "Plain", "Chili"),
      line("Salted peanuts 200 g", 211, 2, 229, false),
      line("Granola bar 40 g", 42, 0.7, 99, false, "Oat", "Almond", "Berry"),
      line("Protein bar 60 g", 63, 1, 279, false, "Chocolate", "Peanut"),
      line("Cookies 200 g", 216, 3, 249, false, "Chocolate chip", "Oat and raisin"),
      line("Chewing gum", 28, 0.5, 149, false, "Mint", "Spearmint"),
      line("Instant noodles cup", 81, 1.2, 159, false, "Chicken", "Beef", "Shrimp"),
      line("Canned tomatoes 400 g", 456, 4, 129, false, "Chopped", "Whole"),
      line("Baked beans 415 g", 471, 4, 139, false),
      line("Pasta 500 g", 514, 4, 189, false, "Spaghetti", "Penne", "Fusilli"),
      line("Rice 1 kg", 1_016, 6, 299, false),
      line("Coffee beans 250 g", 263, 2.5, 899, false, "Espresso", "Medium roast"),
      line("Tea, 20 bags", 61, 1.5, 349, false, "Black", "Green", "Mint"),
      line("Toothpaste 75 ml", 113, 1.5, 349, false),
      line("Shampoo 250 ml", 287, 3, 599, false, "Normal", "Dry hair"),
      line("Tissues, 10 pack", 96, 2, 199, false),
      line("AA batteries, 4 pack", 99, 1, 699, false),
      line("Lip balm", 12, 0.4, 299, false),
      line("Red wine 750 ml", 1_252, 10, 1_299, true, "Merlot", "Cabernet"));

  private Catalog() {}

  /**
   * At least {@code count} products, in planogram order (variants of a line next to each other), with SKUs
   * {@code 0001}, {@code 0002}... Each variant's weight and price differ a little from the line's.
   */
  static List<Product> products(int count, Currency currency, SplittableRandom random) {
    List<Line> lines = new ArrayList<>(LINES);
    // A different assortment per seed: rotate where the list starts.
    int startAt = random.nextInt(lines.size());
    List<Product> products = new ArrayList<>();
    for (int i = 0; products.size() < count; i++) {
      Line line = lines.get((startAt + i) % lines.size());
      int round = (startAt + i) / lines.size();
      List<String> variants = line.variants().isEmpty() ? List.of("") : line.variants();
      for (String variant : variants) {
        String name = line.name() + (variant.isEmpty() ? "" : ", " + variant) + (round > 0 ? " (" + (round + 1) + ")" : "");
        double grams = round(line.grams() * (1 + 0.012 * random.nextGaussian()), 1);
        double sd = round(line.unitSd() * (0.8 + 0.4 * random.nextDouble()), 1);
        long cents = Math.max(9, Math.round(line.cents() * (0.9 + 0.25 * random.nextDouble()) / 10.0) * 10 - 1);
        String sku = String.format("%04d", products.size() + 1);
        products.add(new Product(Sku.of(sku), name, new Money(cents, currency), grams, sd, line.ageRestricted()));
      }
    }
    return products;
  }

  /** {@code value} rounded to {@code decimals} (0 to 3) decimal places, printing without binary noise. */
  static double round(double value, int decimals) {
    double scale = decimals == 0 ? 1 : decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
    return Math.round(value * scale) / scale;
  }
}
