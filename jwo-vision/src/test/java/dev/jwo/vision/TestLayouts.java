package dev.jwo.vision;

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

/** Layouts for the tests of this module. */
public final class TestLayouts {
  private TestLayouts() {}

  /**
   * Entry gate {@code in-1} at (2, 0), exit gate {@code out-1} at (10, 0), one bin, and three cameras:
   * {@code cam-n} without features, {@code cam-c} with clothing colours, {@code cam-f} with face geometry.
   */
  public static StoreLayout store() {
    Currency usd = Currency.getInstance("USD");
    return new StoreLayout(
        StoreId.of("vision-1"),
        "US-IL",
        usd,
        new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        List.of(new Product(Sku.of("0001"), "water", new Money(199, usd), 520, 4, false)),
        List.of(new Bin(BinId.of("A1-1"), Sku.of("0001"), new Point3(5, 4, 1.1), 0.4, 10)),
        List.of(new Camera(CameraId.of("cam-n"), new Point3(4, 3, 3), FeatureKind.NONE),
            new Camera(CameraId.of("cam-c"), new Point3(6, 3, 3), FeatureKind.CLOTHING_COLOR),
            new Camera(CameraId.of("cam-f"), new Point3(8, 3, 3), FeatureKind.FACE_GEOMETRY)));
  }
}
