package dev.jwo.payments;

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

/** The store of this module's tests: water at 1.99 and juice at 29.99 USD. */
public final class TestLayouts {
  public static final Currency USD = Currency.getInstance("USD");
  public static final Sku WATER = Sku.of("0001");
  public static final Sku JUICE = Sku.of("0003");

  private TestLayouts() {}

  public static StoreLayout store() {
    return new StoreLayout(
        StoreId.of("pay-1"),
        "US-IL",
        USD,
        new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        List.of(new Product(WATER, "Sparkling water 500 ml", new Money(199, USD), 520, 4, false),
            new Product(JUICE, "Cold-pressed juice 1 l", new Money(2_999, USD), 1_080, 8, false)),
        List.of(new Bin(BinId.of("A1-1"), WATER, new Point3(4, 4, 1.1), 0.4, 20)),
        List.of(new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.NONE)));
  }
}
