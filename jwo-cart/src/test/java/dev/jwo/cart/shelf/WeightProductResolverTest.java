package dev.jwo.cart.shelf;

import static dev.jwo.cart.TestLayouts.CHOCOLATE;
import static dev.jwo.cart.TestLayouts.CRISPS;
import static dev.jwo.cart.TestLayouts.DOUBLE_BAR;
import static dev.jwo.cart.TestLayouts.WATER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.TestLayouts;
import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Weight changes to products, with {@link ShelfSettings#DEFAULTS}: confident within 3.5 sd and by a 1.5 sd margin. */
class WeightProductResolverTest {
  static final long T = 1_764_410_400_000L;

  private final WeightProductResolver resolver =
      new WeightProductResolver(TestLayouts.store(), ShelfSettings.DEFAULTS);

  @Test
  void aChangeOfWholeUnitsIsThatManyUnits() {
    Map<Sku, Integer> bin = Map.of(WATER, 20);

    assertThat(best(resolver.resolve(change(-520.3), bin))).isEqualTo(WATER + " x 1");
    assertThat(best(resolver.resolve(change(-1_041), bin))).isEqualTo(WATER + " x 2");
    ProductResolution three = resolver.resolve(change(-1_557), bin);
    assertThat(best(three)).isEqualTo(WATER + " x 3");
    assertThat(three.confident()).isTrue();
    assertThat(three.explanation()).contains("-1557.0 g in bin A1-1 is 3 x 0001");
  }

  @Test
  void productsOfNearlyEqualWeightAreNotConfident() {
    // two bars of chocolate (2 x 108 g) weigh what one double bar (216 g) weighs
    ProductResolution resolution = resolver.resolve(change(-216), Map.of(CHOCOLATE, 20, DOUBLE_BAR, 20));

    assertThat(resolution.confident()).isFalse();
    assertThat(resolution.hypotheses()).extracting(h -> h.sku() + " x " + h.quantity())
        .containsExactlyInAnyOrder(DOUBLE_BAR + " x 1", CHOCOLATE + " x 2");
    assertThat(resolution.explanation()).contains("about as well as");
  }

  @Test
  void aPutBackIsMatchedAgainstWhatTheCartHolds() {
    Map<Sku, Integer> cart = Map.of(WATER, 1, CRISPS, 2);

    ProductResolution one = resolver.resolve(change(+519), cart);
    ProductResolution two = resolver.resolve(change(+331), cart);

    assertThat(best(one)).isEqualTo(WATER + " x -1");
    assertThat(best(two)).isEqualTo(CRISPS + " x -2");
  }

  @Test
  void aPutBackOfMoreThanTheCartHoldsIsNotExplained() {
    ProductResolution resolution = resolver.resolve(change(+1_040), Map.of(WATER, 1));

    assertThat(resolution.confident()).isFalse();
    assertThat(resolution.hypotheses()).noneMatch(h -> h.quantity() == -2);
  }

  @Test
  void aChangeNoProductFitsIsNotConfident() {
    ProductResolution resolution = resolver.resolve(change(-300), Map.of(WATER, 20, Sku.of("9999"), 5));

    assertThat(resolution.confident()).isFalse();
    assertThat(resolution.hypotheses()).allSatisfy(h -> assertThat(h.zScore()).isGreaterThan(3.5));
    assertThat(resolution.explanation()).isEqualTo("no product explains a change of -300.0 g in bin A1-1");
  }

  private static String best(ProductResolution resolution) {
    assertThat(resolution.confident()).as(resolution.explanation()).isTrue();
    ProductHypothesis best = resolution.best().orElseThrow();
    return best.sku() + " x " + best.quantity();
  }

  private static ShelfEvent change(double grams) {
    return new ShelfEvent(BinId.of("A1-1"), T, T + 500, grams);
  }
}
