package dev.jwo.cart.shelf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEvent.PlateChange;
import dev.jwo.cart.TestLayouts;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Shelf;
import dev.jwo.core.ShelfId;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A change of several plates of one shelf: which units on which plates it was. */
class MultiPlateEventsTest {
  static final long T = 1_764_410_400_000L;
  static final BinId A = BinId.of("B2-06-1");
  static final BinId B = BinId.of("B2-07-1");
  static final BinId C = BinId.of("B2-08-1");
  static final Sku SALTED = Sku.of("0001");
  static final Sku VINEGAR = Sku.of("0002");
  static final Sku PAPRIKA = Sku.of("0003");

  /** Three crisps of nearly one weight side by side, as in the simulated store. */
  private final StoreLayout layout = crisps();

  static StoreLayout crisps() {
    return new StoreLayout(StoreId.of("multi"), "US-IL", TestLayouts.USD, new Floor(10, 10),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(1, 0))),
        List.of(new Product(SALTED, "Crisps, salted", new Money(279, TestLayouts.USD), 169.3, 2.1, false),
            new Product(VINEGAR, "Crisps, salt and vinegar", new Money(259, TestLayouts.USD), 165.3, 2.3, false),
            new Product(PAPRIKA, "Crisps, paprika", new Money(269, TestLayouts.USD), 164.7, 1.9, false)),
        List.of(new Bin(A, SALTED, new Point3(4, 4, 0.45), 0.5, 30),
            new Bin(B, VINEGAR, new Point3(4.5, 4, 0.45), 0.5, 30),
            new Bin(C, PAPRIKA, new Point3(5, 4, 0.45), 0.5, 30)),
        List.of(),
        List.of(new Shelf(ShelfId.of("B2-L1"), List.of(A, B, C))));
  }

  private final WeightProductResolver resolver = new WeightProductResolver(layout, ShelfSettings.DEFAULTS);

  @Test
  void twoShoppersTakingAtOnceOneUnitLyingAcrossAreTwoEvents() {
    // One takes salted crisps from A; the other takes salt and vinegar lying across B and C (C's load only stepped).
    ShelfEvent event = event(plate(A, -167.8), plate(B, -55.6), plate(C, -114.2, 17));

    List<ShelfEvent> parts = MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS);

    assertThat(parts).extracting(ShelfEvent::bin).containsExactly(A, B);
    assertThat(parts.get(1).deltaGrams()).isCloseTo(-169.8, within(3.0));
    assertThat(parts.get(0).deltaGrams() + parts.get(1).deltaGrams()).isCloseTo(-337.6, within(0.01));
  }

  @Test
  void oneUnitLyingAcrossAndTheNeighboursOwnUnitAreTwoEvents() {
    // A shopper takes salted crisps lying 60 % on A and 40 % on B while another takes salt and vinegar from B: both
    // hands pressed on their plates. Units of B all lying across would be one hand, whose press A would have felt
    // only while B was pressed.
    ShelfEvent event = event(plate(A, -101.6, 1_300), plate(B, -233.0, 900));

    List<ShelfEvent> parts = MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS);

    assertThat(parts).extracting(ShelfEvent::bin).containsExactly(A, B);
    assertThat(parts.get(0).deltaGrams()).isCloseTo(-169.3, within(3.0));
    assertThat(parts.get(1).deltaGrams()).isCloseTo(-165.3, within(3.0));
    assertThat(resolver.resolve(parts.get(0), contents(parts.get(0))).best())
        .hasValueSatisfying(h -> assertThat(h.sku()).isEqualTo(SALTED));
  }

  @Test
  void aUnitLyingAcrossComesFromThePlateTheHandPressedOn() {
    // Paprika crisps from C, lying mostly on B: B's load only stepped, C's changed while the hand was in.
    ShelfEvent event = event(plate(B, -98.7, 17), plate(C, -66.0, 1_100));

    assertThat(MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS))
        .singleElement().satisfies(e -> {
          assertThat(e.bin()).isEqualTo(C);
          assertThat(e.deltaGrams()).isCloseTo(-164.7, within(0.01));
        });
  }

  @Test
  void moreUnitsOfOnePlateLyingAcrossAreOneHand() {
    // Two salted crisps from A, one lying half on B; only A was pressed.
    ShelfEvent event = event(plate(A, -254.0, 1_000), plate(B, -84.6, 17));

    assertThat(MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS))
        .singleElement().satisfies(e -> {
          assertThat(e.bin()).isEqualTo(A);
          assertThat(e.deltaGrams()).isCloseTo(-338.6, within(0.01));
        });
  }

  @Test
  void unitsOnTheirOwnPlatesAreOneEventEach() {
    ShelfEvent event = event(plate(A, -170.1), plate(B, -164.9));

    assertThat(MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS))
        .extracting(ShelfEvent::bin).containsExactly(A, B);
  }

  @Test
  void oneUnitLyingAcrossTwoPlatesIsOneEvent() {
    ShelfEvent event = event(plate(A, -101.2), plate(B, -68.0));

    assertThat(MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS)).singleElement()
        .satisfies(e -> assertThat(e.deltaGrams()).isCloseTo(-169.2, within(0.01)));
  }

  @Test
  void plateChangesGoingDifferentWaysAreNeverOneUnit() {
    ShelfEvent event = event(plate(A, -169.0), plate(B, 165.0));

    assertThat(MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS))
        .extracting(ShelfEvent::deltaGrams).containsExactly(-169.0, 165.0);
  }

  @Test
  void whatNoSplitExplainsStaysWhole() {
    ShelfEvent event = event(plate(A, -40.0), plate(B, -35.0));

    assertThat(MultiPlateEvents.explainable(event, layout, resolver, this::contents, ShelfSettings.DEFAULTS)).containsExactly(event);
  }

  private Map<Sku, Integer> contents(ShelfEvent event) {
    Map<Sku, Integer> candidates = new TreeMap<>();
    for (BinId bin : event.bins()) {
      layout.bin(bin).map(Bin::sku).ifPresent(sku -> candidates.merge(sku, 8, Integer::sum));
    }
    // A put-back may be any product.
    if (!event.isRemoval()) {
      layout.products().forEach(p -> candidates.put(p.sku(), 1));
    }
    return candidates;
  }

  private static PlateChange plate(BinId bin, double grams) {
    return plate(bin, grams, 800);
  }

  /** A plate's change that lasted {@code millis}: a hand pressing, or a unit's weight stepping at once. */
  private static PlateChange plate(BinId bin, double grams, long millis) {
    return new PlateChange(bin, T, T + millis, grams, 0.4);
  }

  private static ShelfEvent event(PlateChange... plates) {
    PlateChange main = plates[0];
    double delta = 0;
    for (PlateChange p : plates) {
      delta += p.deltaGrams();
      if (Math.abs(p.deltaGrams()) > Math.abs(main.deltaGrams())) {
        main = p;
      }
    }
    long end = T;
    for (PlateChange p : plates) {
      end = Math.max(end, p.endTs());
    }
    return new ShelfEvent(main.bin(), T, end, delta, 0.7, 1, List.of(plates));
  }
}
