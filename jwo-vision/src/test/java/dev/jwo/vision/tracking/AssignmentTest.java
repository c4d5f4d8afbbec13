package dev.jwo.vision.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AssignmentTest {
  private static final double NO = Double.POSITIVE_INFINITY;

  @Test
  void findsTheLeastTotalCostRatherThanTheNearestPairFirst() {
    // Greedy would give row 0 column 0 (cost 1) and leave row 1 with 10; the optimum is 2 + 2.
    double[][] costs = {{1, 2}, {2, 10}};

    assertThat(Assignment.solve(costs, 2)).containsExactly(1, 0);
  }

  @Test
  void assignsAsManyRowsAsTheGatesAllow() {
    double[][] costs = {{1, NO}, {3, NO}};

    assertThat(Assignment.solve(costs, 2)).containsExactly(0, -1);
  }

  @Test
  void neverAssignsAForbiddenPair() {
    double[][] costs = {{NO, NO, NO}, {NO, 5, NO}};

    assertThat(Assignment.solve(costs, 3)).containsExactly(-1, 1);
  }

  @Test
  void handlesMoreRowsThanColumns() {
    double[][] costs = {{4}, {1}, {3}};

    assertThat(Assignment.solve(costs, 1)).containsExactly(-1, 0, -1);
  }
}
