package dev.jwo.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.VisitId;
import org.junit.jupiter.api.Test;

class AttributionTest {

  @Test
  void anAttributionToNobodyCannotBeConfident() {
    assertThatThrownBy(() -> new Attribution(null, true, "nobody, surely"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody");
  }

  @Test
  void nobodyIsNotConfidentAndNamesNoVisit() {
    Attribution nobody = Attribution.nobody("no hand was seen");

    assertThat(nobody.visitId()).isEmpty();
    assertThat(nobody.confident()).isFalse();
  }

  @Test
  void aVisitMayBeNamedWithOrWithoutConfidence() {
    VisitId visit = VisitId.of("v-1");

    assertThat(new Attribution(visit, true, "hand of v-1").visitId()).contains(visit);
    assertThat(new Attribution(visit, false, "two hands").confident()).isFalse();
  }
}
