package dev.jwo.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.Sku;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProductResolutionTest {

  @Test
  void aResolutionWithoutHypothesesCannotBeConfident() {
    assertThatThrownBy(() -> new ProductResolution(List.of(), true, "nothing, surely"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without hypotheses");
  }

  @Test
  void theBestHypothesisIsTheFirst() {
    ProductHypothesis water = new ProductHypothesis(Sku.of("0001"), 1, 0.2);
    ProductHypothesis juice = new ProductHypothesis(Sku.of("0003"), 1, 3.1);

    assertThat(new ProductResolution(List.of(water, juice), true, "1 x 0001").best()).contains(water);
    assertThat(new ProductResolution(List.of(), false, "nothing fits").best()).isEmpty();
  }
}
