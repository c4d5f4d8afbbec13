package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.core.Sku;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How a weight change's explanations become probabilities. */
class ProductBeliefTest {
  static final Sku OWN = Sku.of("0100");

  @Test
  void aPutBackIsTheBinsOwnProductAsSurelyWhateverElseTheShopperHolds() {
    double holdingOneOther = ownPutBack(1);
    double holdingSixOthers = ownPutBack(6);

    assertThat(holdingSixOthers).isCloseTo(holdingOneOther, within(1e-9));
    assertThat(holdingOneOther).isGreaterThan(0.8);
  }

  @Test
  void unitsLeavingABinWeighEachOtherProductLyingThereOnItsOwn() {
    Map<Sku, Integer> bin = new TreeMap<>(Map.of(OWN, 10, Sku.of("0201"), 1, Sku.of("0202"), 1));
    List<ProductHypothesis> fits = List.of(new ProductHypothesis(OWN, 1, 1.0),
        new ProductHypothesis(Sku.of("0201"), 1, 1.0), new ProductHypothesis(Sku.of("0202"), 1, 1.0));

    ProductBelief.Explained explained = ProductBelief.of(new ProductResolution(fits, false, "test"), OWN, bin,
        -200, 1, ProductBelief.Artefact.TOUCHED);

    assertThat(probabilityOf(explained, Sku.of("0201")) / probabilityOf(explained, OWN))
        .isCloseTo(ProductBelief.OTHER_PRODUCT_PRIOR, within(1e-9));
  }

  /** The probability of a put-back of the bin's own product when every product held fits the weight as well. */
  private static double ownPutBack(int others) {
    Map<Sku, Integer> held = new TreeMap<>(Map.of(OWN, 1));
    List<ProductHypothesis> fits = new ArrayList<>(List.of(new ProductHypothesis(OWN, -1, 1.0)));
    for (int i = 0; i < others; i++) {
      Sku other = Sku.of("02" + i + "0");
      held.put(other, 1);
      fits.add(new ProductHypothesis(other, -1, 1.0));
    }
    ProductBelief.Explained explained = ProductBelief.of(new ProductResolution(fits, false, "test"), OWN, held,
        200, 1, ProductBelief.Artefact.TOUCHED);
    return probabilityOf(explained, OWN);
  }

  private static double probabilityOf(ProductBelief.Explained explained, Sku sku) {
    return explained.units().stream().filter(w -> sku.equals(w.sku())).mapToDouble(ProductBelief.Weighted::probability)
        .sum();
  }
}
