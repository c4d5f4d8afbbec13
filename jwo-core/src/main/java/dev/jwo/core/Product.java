package dev.jwo.core;

import java.util.Objects;

/**
 * A catalog product: its price and the weight of one unit, as a load cell sees it (mean and standard
 * deviation in grams).
 */
public record Product(
    Sku sku, String name, Money price, double unitWeightGrams, double weightSdGrams, boolean ageRestricted) {

  public Product {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(price, "price");
    if (price.isNegative()) {
      throw new IllegalArgumentException("price of " + sku + " must not be negative");
    }
    Geometry.requirePositive(unitWeightGrams, "unit weight of " + sku);
    Geometry.requireFinite(weightSdGrams, "weight sd of " + sku);
    if (weightSdGrams < 0) {
      throw new IllegalArgumentException("weight sd of " + sku + " must not be negative");
    }
  }
}
