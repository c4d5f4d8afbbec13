package dev.jwo.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureVectorTest {

  @Test
  void toStringShowsTheDimensionButNoValue() {
    FeatureVector face = FeatureVector.of(0.123456, 0.654321, 0.5);

    assertThat(face.toString()).isEqualTo("FeatureVector[dimension=3]");
    PersonObservation person = new PersonObservation(new Position(1, 2), List.of(), face);
    assertThat(person.toString()).doesNotContain("0.123456").doesNotContain("0.654321");
  }

  @Test
  void equalVectorsAreEqual() {
    assertThat(FeatureVector.of(1, 2, 3)).isEqualTo(FeatureVector.of(1, 2, 3))
        .hasSameHashCodeAs(FeatureVector.of(1, 2, 3));
    assertThat(FeatureVector.of(1, 2, 3)).isNotEqualTo(FeatureVector.of(1, 2, 3.0001));
    assertThat(FeatureVector.of(1, 2)).isNotEqualTo(FeatureVector.of(1, 2, 0));
  }

  @Test
  void isImmutable() {
    double[] values = {1, 2, 3};
    FeatureVector vector = FeatureVector.of(values);
    values[0] = 99;
    vector.toArray()[1] = 99;

    assertThat(vector.toArray()).containsExactly(1, 2, 3);
  }

  @Test
  void rejectsNonFiniteAndEmptyVectors() {
    assertThatThrownBy(() -> FeatureVector.of(0.1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> FeatureVector.of(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(FeatureVector::of).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }

  @Test
  void cosineSimilarity() {
    assertThat(FeatureVector.of(1, 0).cosineSimilarity(FeatureVector.of(2, 0))).isCloseTo(1, within(1e-12));
    assertThat(FeatureVector.of(1, 0).cosineSimilarity(FeatureVector.of(0, 3))).isCloseTo(0, within(1e-12));
    assertThat(FeatureVector.of(1, 0).cosineSimilarity(FeatureVector.of(-1, 0))).isCloseTo(-1, within(1e-12));
    assertThat(FeatureVector.of(1, 0).cosineSimilarity(FeatureVector.of(1, 0, 0))).isZero();
    assertThat(FeatureVector.of(0, 0).cosineSimilarity(FeatureVector.of(1, 0))).isZero();
  }

  @Test
  void anObservationWithoutFeaturesKeepsItsPositionAndHands() {
    PersonObservation person = new PersonObservation(
        new Position(1, 2), List.of(new Point3(1, 2, 1)), FeatureVector.of(0.5));

    assertThat(person.withoutFeatures())
        .isEqualTo(new PersonObservation(new Position(1, 2), List.of(new Point3(1, 2, 1)), null));
    assertThatThrownBy(() -> new PersonObservation(new Position(0, 0),
            List.of(new Point3(0, 0, 0), new Point3(0, 0, 0), new Point3(0, 0, 0)), null))
        .hasMessageContaining("at most two hands");
  }
}
