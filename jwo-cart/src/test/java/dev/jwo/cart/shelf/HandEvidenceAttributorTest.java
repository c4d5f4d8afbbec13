package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.TestLayouts;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Point3;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.HandSighting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How sure the default attributor is when more than one visit's hand was in the bin. */
class HandEvidenceAttributorTest {
  static final long T = 1_764_410_400_000L;

  private final StoreLayout layout = TestLayouts.store();
  private final Bin bin = layout.bin(BinId.of("A1-1")).orElseThrow();
  private final HandEvidenceAttributor attributor =
      new HandEvidenceAttributor(layout, ShelfSettings.DEFAULTS, AttributionSettings.DEFAULTS);
  private final VisitId alice = VisitId.of("v-1764410400000-in-1");
  private final VisitId bob = VisitId.of("v-1764410405000-in-1");
  private final List<HandSighting> hands = new ArrayList<>();

  @Test
  void twoHandsInTheBinWhileTheLoadChangedFavourTheOneThereAtTheStartWithoutCertainty() {
    inBin(alice, T + 10_500, T + 12_000);
    inBin(bob, T + 11_200, T + 12_700);

    Attribution attribution = attribute(new ShelfEvent(bin.id(), T + 11_000, T + 12_000, -521));

    assertThat(attribution.visit()).isEqualTo(alice);
    assertThat(attribution.probabilityOf(alice)).isBetween(0.6, 0.99);
    assertThat(attribution.probabilityOf(bob)).isGreaterThan(0.01);
  }

  @Test
  void aHandThatBarelyReachedIsNoRivalForOneThatWasInTheBin() {
    inBin(alice, T + 10_500, T + 12_000);
    inBin(bob, T + 12_300, T + 12_300);

    Attribution attribution = attribute(new ShelfEvent(bin.id(), T + 11_000, T + 12_000, -521));

    assertThat(attribution.probabilityOf(alice)).isGreaterThan(0.999);
  }

  private Attribution attribute(ShelfEvent event) {
    return attributor.attribute(event, bin, (point, radius, from, to) -> hands.stream()
        .filter(h -> h.ts() >= from && h.ts() <= to && h.hand().distanceTo(point) <= radius).toList());
  }

  private void inBin(VisitId visit, long from, long to) {
    for (long ts = from; ts <= to; ts += 100) {
      hands.add(new HandSighting(TrackId.of("t-" + visit.value()), visit, new Point3(4, 4.05, 1.1), ts));
    }
  }
}
