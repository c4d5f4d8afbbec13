package dev.jwo.cart;

import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import java.util.Currency;
import java.util.List;

/** The store of this module's tests. */
public final class TestLayouts {
  public static final Currency USD = Currency.getInstance("USD");
  public static final Sku WATER = Sku.of("0001");
  public static final Sku CHOCOLATE = Sku.of("0002");
  public static final Sku JUICE = Sku.of("0003");
  public static final Sku CRISPS = Sku.of("0004");
  /** Weighs exactly two bars of chocolate. */
  public static final Sku DOUBLE_BAR = Sku.of("0005");

  private TestLayouts() {}

  /**
   * Entry gate {@code in-1} at (2, 0), exit gate {@code out-1} at (10, 0); bins {@code A1-1} (water, 520 g) at
   * (4, 4, 1.1), {@code A1-2} (chocolate, 108 g) at (4.5, 4, 1.1) and {@code A1-5} (double bar, 216 g) at
   * (6, 4, 1.1).
   */
  public static StoreLayout store() {
    return new StoreLayout(
        StoreId.of("cart-1"),
        "US-IL",
        USD,
        new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        List.of(
            new Product(WATER, "Sparkling water 500 ml", new Money(199, USD), 520, 4, false),
            new Product(CHOCOLATE, "Dark chocolate 100 g", new Money(349, USD), 108, 2, false),
            new Product(JUICE, "Apple juice 1 l", new Money(279, USD), 1_080, 8, false),
            new Product(CRISPS, "Salted crisps 150 g", new Money(249, USD), 165, 3, false),
            new Product(DOUBLE_BAR, "Double bar 200 g", new Money(150, USD), 216, 2, false)),
        List.of(
            new Bin(BinId.of("A1-1"), WATER, new Point3(4, 4, 1.1), 0.4, 20),
            new Bin(BinId.of("A1-2"), CHOCOLATE, new Point3(4.5, 4, 1.1), 0.4, 20),
            new Bin(BinId.of("A1-5"), DOUBLE_BAR, new Point3(6, 4, 1.1), 0.4, 20)),
        List.of(new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.NONE)));
  }
}
