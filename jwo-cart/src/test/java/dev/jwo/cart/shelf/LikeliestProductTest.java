package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEvent.PlateChange;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The units the shelf stage records for a change of plates holding products of nearly one weight. */
class LikeliestProductTest {
  private final StoreLayout layout = MultiPlateEventsTest.crisps();
  private final WeightProductResolver resolver = new WeightProductResolver(layout, ShelfSettings.DEFAULTS);

  @Test
  void theBinsOwnProductWinsOverANeighboursOfNearlyOneWeight() {
    // Paprika crisps (164.7 g) from C, lying partly on B: salt and vinegar (165.3 g) fits the change a little better.
    long t = MultiPlateEventsTest.T;
    ShelfEvent event = new ShelfEvent(MultiPlateEventsTest.C, t, t + 900, -165.2, 1.0, 1,
        List.of(new PlateChange(MultiPlateEventsTest.C, t, t + 900, -90.0, 0.7),
            new PlateChange(MultiPlateEventsTest.B, t, t + 20, -75.2, 0.7)));
    Map<Sku, Integer> candidates = Map.of(MultiPlateEventsTest.VINEGAR, 8, MultiPlateEventsTest.PAPRIKA, 8);
    ProductResolution resolution = resolver.resolve(event, candidates);

    assertThat(resolution.best()).hasValueSatisfying(h -> assertThat(h.sku()).isEqualTo(MultiPlateEventsTest.VINEGAR));
    assertThat(LikeliestProduct.of(event, resolution, MultiPlateEventsTest.PAPRIKA, candidates))
        .hasValueSatisfying(h -> {
          assertThat(h.sku()).isEqualTo(MultiPlateEventsTest.PAPRIKA);
          assertThat(h.quantity()).isEqualTo(1);
        });
  }
}
