package dev.jwo.core;

import java.util.Objects;

/**
 * One shelf lane with its own load cell, stocked with one SKU by the planogram. {@code front} is the centre
 * of the lane's front edge, where a hand reaches in; {@code widthMetres} is measured along the shelf.
 */
public record Bin(BinId id, Sku sku, Point3 front, double widthMetres, int initialQuantity) {
  public Bin {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(front, "front");
    Geometry.requirePositive(widthMetres, "width of bin " + id);
    if (initialQuantity < 0) {
      throw new IllegalArgumentException("initial quantity of bin " + id + " must not be negative");
    }
  }
}
