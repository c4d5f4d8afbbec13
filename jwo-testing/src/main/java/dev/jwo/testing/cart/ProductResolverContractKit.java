package dev.jwo.testing.cart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEvent;
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
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ProductResolver} must keep for carts to hold what shoppers took. Subclass it in your
 * resolver's tests and implement {@link #newResolver(StoreLayout)}; the kit's store ({@link #LAYOUT}) sells jars of
 * 500 g, bars of 250 g (two weigh as much as a jar) and cans of 333 g, and its weight changes are within a few grams
 * of whole units.
 */
public abstract class ProductResolverContractKit {
  protected static final long T = 1_764_410_400_000L;
  protected static final Sku JAR = Sku.of("0001");
  protected static final Sku BAR = Sku.of("0002");
  protected static final Sku CAN = Sku.of("0003");
  /** A SKU that is not in the catalog. */
  protected static final Sku UNKNOWN = Sku.of("9999");
  protected static final BinId BIN = BinId.of("B1-1");
  protected static final StoreLayout LAYOUT = layout();

  private ProductResolver resolver;

  /** A fresh resolver for the products of {@code layout}. */
  protected abstract ProductResolver newResolver(StoreLayout layout);

  @BeforeEach
  void setUpResolver() {
    resolver = newResolver(LAYOUT);
  }

  @Test
  void aDropOfSomeUnitsOfTheBinsProductIsThatManyUnits() {
    double[] offsets = {1.5, -2, 0.8, -1};
    for (int k = 1; k <= 4; k++) {
      ProductResolution jars = resolve(removal(k * 500 + offsets[k - 1]), Map.of(JAR, 12));
      assertThat(jars.confident()).as("%d jars", k).isTrue();
      assertThat(best(jars)).as("%d jars", k).extracting(ProductHypothesis::sku, ProductHypothesis::quantity)
          .containsExactly(JAR, k);

      ProductResolution cans = resolve(removal(k * 333 - offsets[k - 1]), Map.of(CAN, 12));
      assertThat(cans.confident()).as("%d cans", k).isTrue();
      assertThat(best(cans)).as("%d cans", k).extracting(ProductHypothesis::sku, ProductHypothesis::quantity)
          .containsExactly(CAN, k);
    }
  }

  @Test
  void aPutBackIsResolvedAgainstTheCartAsANegativeQuantity() {
    Map<Sku, Integer> cart = Map.of(JAR, 2, CAN, 1);

    ProductResolution can = resolve(putBack(333.5), cart);
    assertThat(can.confident()).isTrue();
    assertThat(best(can)).extracting(ProductHypothesis::sku, ProductHypothesis::quantity).containsExactly(CAN, -1);

    ProductResolution jars = resolve(putBack(1_001.2), cart);
    assertThat(jars.confident()).isTrue();
    assertThat(best(jars)).extracting(ProductHypothesis::sku, ProductHypothesis::quantity).containsExactly(JAR, -2);
  }

  @Test
  void moreUnitsThanTheCartHoldsAreNeverPutBack() {
    ProductResolution resolution = resolve(putBack(1_000), Map.of(JAR, 1));

    assertThat(resolution.confident()).isFalse();
  }

  @Test
  void anItemPutInTheWrongBinCanBeWhatWasTaken() {
    Map<Sku, Integer> bin = Map.of(JAR, 10, CAN, 1);

    ProductResolution can = resolve(removal(333.4), bin);
    assertThat(can.confident()).isTrue();
    assertThat(best(can)).extracting(ProductHypothesis::sku, ProductHypothesis::quantity).containsExactly(CAN, 1);

    ProductResolution jars = resolve(removal(999.5), bin);
    assertThat(jars.confident()).as("three cans weigh as much, but the bin holds one").isTrue();
    assertThat(best(jars)).extracting(ProductHypothesis::sku, ProductHypothesis::quantity).containsExactly(JAR, 2);
  }

  @Test
  void aWeightTwoExplanationsFitEquallyIsNotConfident() {
    ProductResolution resolution = resolve(removal(500.5), Map.of(JAR, 6, BAR, 6));

    assertThat(resolution.confident()).isFalse();
  }

  @Test
  void aWeightNoProductExplainsIsNotConfident() {
    assertThat(resolve(removal(123), Map.of(JAR, 10)).confident()).isFalse();
    assertThat(resolve(removal(760), Map.of(JAR, 10)).confident()).as("one and a half jars").isFalse();
    assertThat(resolve(putBack(0), Map.of(JAR, 1)).confident()).as("no change at all").isFalse();
  }

  @Test
  void withoutCandidatesThereIsNoHypothesis() {
    ProductResolution resolution = resolve(removal(500), Map.of());

    assertThat(resolution.hypotheses()).isEmpty();
    assertThat(resolution.confident()).isFalse();
  }

  @Test
  void aSkuOutsideTheCatalogIsNoExplanation() {
    ProductResolution resolution = resolve(removal(500), Map.of(UNKNOWN, 3, JAR, 5));

    assertThat(resolution.confident()).isTrue();
    assertThat(best(resolution)).extracting(ProductHypothesis::sku, ProductHypothesis::quantity)
        .containsExactly(JAR, 1);
  }

  @Test
  void theSameEventGivesTheSameResolutionWhateverTheOrderOfCandidates() {
    List<ShelfEvent> events = List.of(removal(750.4), removal(500.5), putBack(333), removal(123));
    List<Map<Sku, Integer>> orders = new ArrayList<>();
    orders.add(new TreeMap<>(Map.of(JAR, 3, BAR, 5, CAN, 2)));
    Map<Sku, Integer> reversed = new LinkedHashMap<>();
    reversed.put(CAN, 2);
    reversed.put(BAR, 5);
    reversed.put(JAR, 3);
    orders.add(reversed);
    orders.add(new HashMap<>(Map.of(BAR, 5, CAN, 2, JAR, 3)));
    ProductResolver other = newResolver(LAYOUT);

    for (ShelfEvent event : events) {
      ProductResolution first = resolve(event, orders.get(0));
      for (Map<Sku, Integer> candidates : orders) {
        assertThat(resolve(event, candidates)).isEqualTo(first);
        assertThat(other.resolve(event, candidates)).isEqualTo(first);
      }
    }
  }

  /** Resolves, and checks what every resolution must be whatever the event. */
  private ProductResolution resolve(ShelfEvent event, Map<Sku, Integer> candidates) {
    ProductResolution resolution = resolver.resolve(event, candidates);
    assertThat(resolution.explanation()).as("explanation").isNotBlank();
    for (ProductHypothesis h : resolution.hypotheses()) {
      assertThat(candidates).as("hypothesis %s names a candidate", h).containsKey(h.sku());
      assertThat(LAYOUT.product(h.sku())).as("hypothesis %s names a product of the catalog", h).isPresent();
      assertThat(Math.abs(h.quantity())).as("hypothesis %s is within the units available", h)
          .isLessThanOrEqualTo(candidates.get(h.sku()));
      assertThat(h.quantity() > 0).as("hypothesis %s follows the direction of the change", h)
          .isEqualTo(event.isRemoval());
      assertThat(h.zScore()).as("z score of %s", h).isNotNaN().isGreaterThanOrEqualTo(0);
    }
    return resolution;
  }

  private static ProductHypothesis best(ProductResolution resolution) {
    assertThat(resolution.best()).as("best hypothesis of: %s", resolution.explanation()).isPresent();
    return resolution.best().orElseThrow();
  }

  protected static ShelfEvent removal(double grams) {
    return new ShelfEvent(BIN, T, T + 600, -grams);
  }

  protected static ShelfEvent putBack(double grams) {
    return new ShelfEvent(BIN, T, T + 600, grams);
  }

  private static StoreLayout layout() {
    Currency usd = Currency.getInstance("USD");
    List<Product> products = List.of(
        new Product(JAR, "Honey 500 g", new Money(599, usd), 500, 3, false),
        new Product(BAR, "Soap bar 250 g", new Money(249, usd), 250, 2, false),
        new Product(CAN, "Tomatoes 333 g", new Money(129, usd), 333, 3, false));
    return new StoreLayout(
        StoreId.of("kit-store"),
        "US-WA",
        usd,
        new Floor(10, 6),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(1, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(9, 0))),
        products,
        List.of(new Bin(BIN, JAR, new Point3(3, 4, 1.1), 0.4, 12),
            new Bin(BinId.of("B1-2"), BAR, new Point3(3.5, 4, 1.1), 0.4, 12),
            new Bin(BinId.of("B1-3"), CAN, new Point3(4, 4, 1.1), 0.4, 12)),
        List.of(new Camera(CameraId.of("cam-1"), new Point3(5, 3, 3), FeatureKind.NONE)));
  }
}
