package dev.jwo.vision.tracking;

import java.util.Arrays;

/**
 * Minimum-cost assignment of rows to columns (the Hungarian method), where an infinite cost forbids a pair and a
 * row may stay unassigned. As many rows as possible are assigned; among those assignments, the total cost is the
 * least. Deterministic.
 */
final class Assignment {
  /** Cost of leaving a row unassigned: above any finite pair cost the tracker uses. */
  private static final double UNASSIGNED = 1e6;
  private static final double FORBIDDEN = 1e12;

  private Assignment() {}

  /**
   * @param costs one row per track, one column per detection ({@code columns} of them); infinite: forbidden
   * @return for each row, the column it was given, or -1
   */
  static int[] solve(double[][] costs, int columns) {
    int n = costs.length;
    // Columns: the detections, then one "unassigned" column per row.
    int m = columns + n;
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1];
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= m; j++) {
          if (used[j]) {
            continue;
          }
          double cur = cost(costs, columns, i0 - 1, j - 1) - u[i0] - v[j];
          if (cur < minv[j]) {
            minv[j] = cur;
            way[j] = j0;
          }
          if (minv[j] < delta) {
            delta = minv[j];
            j1 = j;
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] result = new int[n];
    Arrays.fill(result, -1);
    for (int j = 1; j <= columns; j++) {
      int row = p[j] - 1;
      if (row >= 0 && Double.isFinite(costs[row][j - 1])) {
        result[row] = j - 1;
      }
    }
    return result;
  }

  private static double cost(double[][] costs, int columns, int row, int column) {
    if (column < columns) {
      double c = costs[row][column];
      return Double.isFinite(c) ? c : FORBIDDEN;
    }
    return column - columns == row ? UNASSIGNED : FORBIDDEN;
  }
}
