package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.core.Sku;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Product beliefs with a trigger of 6 g, the default detector's. */
class ProductBeliefTest {
  private static final double TRIGGER = 6.0;
  private static final Sku GUM = Sku.of("gum");
  private static final Sku SODA = Sku.of("soda");

  @Test
  void aChangeBarelyAboveTheTriggerThatNoProductExplainsIsMostLikelyNoUnitAtAll() {
    ProductResolution nothingFits = new ProductResolution(List.of(), false, "no product explains +9 g");

    List<ProductBelief.Weighted> beliefs = ProductBelief.of(nothingFits, SODA, Map.of(SODA, 10), 9.0, TRIGGER);

    assertThat(beliefs.get(0).nothingMoved()).isTrue();
    assertThat(beliefs.get(0).probability()).isGreaterThan(0.99);
    assertThat(beliefs.stream().filter(b -> !b.nothingMoved()).mapToDouble(ProductBelief.Weighted::probability)
        .sum()).as("an unknown unit").isLessThan(0.01);
  }

  @Test
  void aLightUnitThatFitsItsWeightIsStillThatUnit() {
    ProductResolution gum = new ProductResolution(List.of(new ProductHypothesis(GUM, 1, 0.1)), true,
        "-12 g is 1 x gum");

    List<ProductBelief.Weighted> beliefs = ProductBelief.of(gum, GUM, Map.of(GUM, 10), -12.0, TRIGGER);

    assertThat(beliefs.get(0).sku()).isEqualTo(GUM);
    assertThat(beliefs.get(0).probability()).isGreaterThan(0.97);
  }

  @Test
  void aChangeOfAWholeUnitLeavesNoRoomForNothingHavingMoved() {
    ProductResolution soda = new ProductResolution(List.of(new ProductHypothesis(SODA, 1, 0.5)), true,
        "-355 g is 1 x soda");

    List<ProductBelief.Weighted> beliefs = ProductBelief.of(soda, SODA, Map.of(SODA, 10), -355.0, TRIGGER);

    assertThat(beliefs.stream().filter(ProductBelief.Weighted::nothingMoved)
        .mapToDouble(ProductBelief.Weighted::probability).sum()).isLessThan(1e-9);
  }
}
