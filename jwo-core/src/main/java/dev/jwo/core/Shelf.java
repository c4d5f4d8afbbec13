package dev.jwo.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One shelf board and the bins (load-cell plates) on it, in order along the shelf: neighbours in the list lie side
 * by side, so a unit may lie across both, and taking a unit from one can shift the other's reading a little.
 */
public record Shelf(ShelfId id, List<BinId> bins) {
  public Shelf {
    Objects.requireNonNull(id, "id");
    bins = List.copyOf(bins);
    if (bins.isEmpty()) {
      throw new IllegalArgumentException("shelf " + id + " has no bins");
    }
    Set<BinId> seen = new HashSet<>();
    for (BinId bin : bins) {
      if (!seen.add(bin)) {
        throw new IllegalArgumentException("shelf " + id + " lists bin " + bin + " twice");
      }
    }
  }

  /** The bins right beside {@code bin} on this shelf (none, one or two); empty if the bin is not on it. */
  public List<BinId> neighbours(BinId bin) {
    int i = bins.indexOf(bin);
    if (i < 0) {
      return List.of();
    }
    if (bins.size() == 1) {
      return List.of();
    }
    if (i == 0) {
      return List.of(bins.get(1));
    }
    if (i == bins.size() - 1) {
      return List.of(bins.get(i - 1));
    }
    return List.of(bins.get(i - 1), bins.get(i + 1));
  }
}
