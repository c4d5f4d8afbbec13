package dev.jwo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreLayoutTest {
  private final StoreLayout valid = TestStores.small();

  @Test
  void looksUpItsPartsById() {
    assertThat(valid.gate(GateId.of("in-1"))).map(Gate::kind).contains(GateKind.ENTRY);
    assertThat(valid.gate(GateId.of("nope"))).isEmpty();
    assertThat(valid.bin(BinId.of("A1-2")).map(valid::productIn)).map(Product::sku).contains(Sku.of("0002"));
    assertThat(valid.camera(CameraId.of("cam-c"))).map(Camera::features).contains(FeatureKind.CLOTHING_COLOR);
    assertThat(valid.product(Sku.of("0001"))).map(Product::price).contains(Money.ofMinor(199, "USD"));
    assertThat(valid.gates()).extracting(Gate::id).containsExactly(GateId.of("in-1"), GateId.of("out-1"));
    assertThat(valid).isEqualTo(TestStores.small()).hasSameHashCodeAs(TestStores.small());
  }

  @Test
  void listsCannotBeModified() {
    assertThatThrownBy(() -> valid.bins().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsRepeatedIds() {
    List<Gate> gates = new ArrayList<>(valid.gates());
    gates.add(new Gate(GateId.of("in-1"), GateKind.EXIT, new Position(5, 0)));

    assertThatThrownBy(() -> withGates(gates))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate gate id in-1");
  }

  @Test
  void rejectsABinOfAnUnknownProduct() {
    List<Bin> bins = List.of(new Bin(BinId.of("B1"), Sku.of("9999"), new Point3(1, 1, 1), 0.4, 1));

    assertThatThrownBy(() -> new StoreLayout(valid.storeId(), "US-IL", TestStores.USD, valid.floor(), valid.gates(),
            valid.products(), bins, valid.cameras()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bin B1 holds unknown sku 9999");
  }

  @Test
  void rejectsAPriceInAnotherCurrency() {
    List<Product> products = List.of(
        new Product(Sku.of("0001"), "water", Money.ofMinor(199, "EUR"), 520, 4, false),
        valid.products().get(1));

    assertThatThrownBy(() -> new StoreLayout(valid.storeId(), "US-IL", TestStores.USD, valid.floor(), valid.gates(),
            products, valid.bins(), valid.cameras()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0001")
        .hasMessageContaining("EUR");
  }

  @Test
  void rejectsAStoreWithoutAnEntryGate() {
    assertThatThrownBy(() -> withGates(List.of(new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(1, 0)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no entry gate");
  }

  @Test
  void rejectsABlankJurisdiction() {
    assertThatThrownBy(() -> new StoreLayout(valid.storeId(), " ", TestStores.USD, valid.floor(), valid.gates(),
            valid.products(), valid.bins(), valid.cameras()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jurisdiction");
  }

  @Test
  void partsValidateTheirOwnValues() {
    assertThatThrownBy(() -> new Floor(0, 5)).hasMessageContaining("floor width must be positive");
    assertThatThrownBy(() -> new Position(Double.NaN, 1)).hasMessageContaining("finite");
    assertThatThrownBy(() -> new Bin(BinId.of("B"), Sku.of("1"), new Point3(0, 0, 0), 0.4, -1))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> new Product(Sku.of("1"), "x", Money.ofMinor(-1, "USD"), 10, 1, false))
        .hasMessageContaining("price of 1 must not be negative");
    assertThatThrownBy(() -> new Product(Sku.of("1"), "x", Money.ofMinor(1, "USD"), 0, 1, false))
        .hasMessageContaining("unit weight");
    assertThatThrownBy(() -> GateId.of(" ")).hasMessageContaining("GateId must not be blank");
  }

  private StoreLayout withGates(List<Gate> gates) {
    return new StoreLayout(valid.storeId(), valid.jurisdiction(), Currency.getInstance("USD"), valid.floor(), gates,
        valid.products(), valid.bins(), valid.cameras());
  }
}
