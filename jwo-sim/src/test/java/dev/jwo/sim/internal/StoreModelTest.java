package dev.jwo.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.Bin;
import dev.jwo.core.Camera;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.GateKind;
import dev.jwo.core.Product;
import dev.jwo.core.StoreLayout;
import dev.jwo.sim.Scenario;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StoreModelTest {
  static StoreModel generate(String preset) {
    return StoreModel.generate("s", Scenario.preset(preset).store(), new SplittableRandom(9));
  }

  @Test
  void everyPresetMakesAValidStore() {
    for (String preset : Scenario.PRESETS) {
      StoreLayout layout = generate(preset).layout();
      assertThat(layout.bins()).as(preset).isNotEmpty();
      assertThat(layout.gates()).extracting(g -> g.kind()).contains(GateKind.ENTRY, GateKind.EXIT);
    }
    assertThatThrownBy(() -> Scenario.preset("chaos")).hasMessageContaining("quiet");
  }

  @Test
  void binsAreOnTheFloorAtSeveralHeightsAndSeenByTwoOrMoreCameras() {
    StoreModel store = generate("normal");
    StoreLayout layout = store.layout();
    double radius = Scenario.preset("normal").sensors().viewRadiusMetres();
    assertThat(layout.bins().stream().map(b -> b.front().z()).distinct().count()).isGreaterThanOrEqualTo(3);
    for (Bin bin : layout.bins()) {
      assertThat(bin.front().x()).isBetween(0.0, layout.floor().widthMetres());
      assertThat(bin.front().y()).isBetween(0.0, layout.floor().depthMetres());
      long seenBy = layout.cameras().stream()
          .filter(c -> c.position().onFloor().distanceTo(bin.front().onFloor()) <= radius).count();
      assertThat(seenBy).as("cameras seeing " + bin.id()).isGreaterThanOrEqualTo(2);
    }
    for (var gate : layout.gates()) {
      assertThat(gate.position().y()).isZero();
      assertThat(layout.cameras().stream()
          .anyMatch(c -> c.position().onFloor().distanceTo(gate.position()) <= radius)).isTrue();
    }
  }

  @Test
  void standPointsAreInTheAislesBesideTheirBins() {
    StoreModel store = generate("busy");
    for (StoreModel.Slot slot : store.slots()) {
      double face = slot.bin().front().y();
      assertThat(Math.abs(slot.standY() - face)).isEqualTo(StoreModel.STAND_OFF, org.assertj.core.data.Offset.offset(1e-9));
      double lane = store.laneY(slot.aisle());
      assertThat(Math.abs(lane - face)).isLessThanOrEqualTo(StoreModel.AISLE_WIDTH / 2 + 1e-9);
    }
  }

  @Test
  void theCatalogHasRealisticPricesAndNearlyEqualWeights() {
    List<Product> products = generate("normal").layout().products();
    assertThat(products).allSatisfy(p -> {
      assertThat(p.price().minor()).isBetween(9L, 5_000L);
      assertThat(p.unitWeightGrams()).isBetween(5.0, 3_000.0);
    });
    boolean nearlyEqual = false;
    for (int i = 0; i < products.size() && !nearlyEqual; i++) {
      for (int j = i + 1; j < products.size(); j++) {
        double a = products.get(i).unitWeightGrams();
        double b = products.get(j).unitWeightGrams();
        if (Math.abs(a - b) <= 0.02 * Math.max(a, b)) {
          nearlyEqual = true;
          break;
        }
      }
    }
    assertThat(nearlyEqual).as("two products within 2 % of each other's weight").isTrue();
  }

  @Test
  void camerasDeclareFeaturesAsThePresetSays() {
    List<Camera> hard = generate("hard").layout().cameras();
    assertThat(hard).extracting(Camera::features)
        .contains(FeatureKind.FACE_GEOMETRY, FeatureKind.CLOTHING_COLOR, FeatureKind.NONE);
    assertThat(generate("quiet").layout().cameras()).extracting(Camera::features).containsOnly(FeatureKind.NONE);
  }

  @Test
  void routesBetweenAislesGoThroughACrossAisle() {
    StoreModel store = generate("normal");
    StoreModel.Slot front = store.slots().stream().filter(s -> s.aisle() == 0).findFirst().orElseThrow();
    StoreModel.Slot back = store.slots().stream().filter(s -> s.aisle() == store.aisles() - 1).findFirst()
        .orElseThrow();
    var from = new dev.jwo.core.Position(front.bin().front().x(), front.standY());
    var to = new dev.jwo.core.Position(back.bin().front().x(), back.standY());
    var points = store.route(from, front.aisle(), to, back.aisle(), 0);
    assertThat(points).anySatisfy(p -> assertThat(p.x()).isIn(store.leftCrossX(), store.rightCrossX()));
    assertThat(points.get(points.size() - 1)).isEqualTo(to);
  }
}
