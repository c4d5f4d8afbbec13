package dev.jwo.core;

import java.util.Currency;
import java.util.List;

/** A small, valid store layout for the tests of this module. */
public final class TestStores {
  public static final Currency USD = Currency.getInstance("USD");

  private TestStores() {}

  /**
   * Store {@code test-001} in {@code US-IL}: entry gate {@code in-1} at (2, 0), exit gate {@code out-1} at (10, 0),
   * bins {@code A1-1} (sku 0001, 520 g) and {@code A1-2} (sku 0002, 108 g), camera {@code cam-1} without features
   * and camera {@code cam-c} sending clothing colours.
   */
  public static StoreLayout small() {
    return new StoreLayout(
        StoreId.of("test-001"),
        "US-IL",
        USD,
        new Floor(12, 8),
        List.of(
            new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        List.of(
            new Product(Sku.of("0001"), "Sparkling water 500 ml", new Money(199, USD), 520, 4, false),
            new Product(Sku.of("0002"), "Dark chocolate 100 g", new Money(349, USD), 108, 2, true)),
        List.of(
            new Bin(BinId.of("A1-1"), Sku.of("0001"), new Point3(4, 4, 1.1), 0.4, 20),
            new Bin(BinId.of("A1-2"), Sku.of("0002"), new Point3(4.5, 4, 1.1), 0.4, 12)),
        List.of(
            new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.NONE),
            new Camera(CameraId.of("cam-c"), new Point3(8, 3, 3), FeatureKind.CLOTHING_COLOR)));
  }
}
