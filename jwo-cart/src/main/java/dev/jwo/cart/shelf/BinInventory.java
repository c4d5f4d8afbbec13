package dev.jwo.cart.shelf;

import dev.jwo.cart.v1.BinStock;
import dev.jwo.cart.v1.SkuUnits;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each bin is believed to hold: its planogram stock, less what was taken, plus what was put back (possibly
 * units of another product, put in the wrong bin).
 */
final class BinInventory {
  private final Map<BinId, Map<Sku, Integer>> contents = new HashMap<>();

  BinInventory(StoreLayout layout) {
    for (Bin bin : layout.bins()) {
      Map<Sku, Integer> units = new TreeMap<>();
      units.put(bin.sku(), bin.initialQuantity());
      contents.put(bin.id(), units);
    }
  }

  /** The products that could be taken from a bin, with the units believed to be there (at least one of its own). */
  Map<Sku, Integer> candidates(Bin bin) {
    Map<Sku, Integer> units = new TreeMap<>(contents.getOrDefault(bin.id(), Map.of()));
    units.values().removeIf(n -> n <= 0);
    units.merge(bin.sku(), WeightProductResolver.MAX_UNITS, Math::max);
    return units;
  }

  void change(BinId bin, Sku sku, int delta) {
    contents.computeIfAbsent(bin, b -> new TreeMap<>()).merge(sku, delta, Integer::sum);
  }

  /** Every bin's contents, in order of bin. */
  List<BinStock> export() {
    List<BinStock> stock = new ArrayList<>();
    new TreeMap<>(contents).forEach((bin, units) -> {
      BinStock.Builder kept = BinStock.newBuilder().setBin(bin.value());
      units.forEach((sku, n) -> kept.addUnits(SkuUnits.newBuilder().setSku(sku.value()).setUnits(n)));
      stock.add(kept.build());
    });
    return stock;
  }

  /** Replaces every bin's contents by those {@linkplain #export exported}. */
  void restore(List<BinStock> stock) {
    Map<BinId, Map<Sku, Integer>> restored = new HashMap<>();
    for (BinStock bin : stock) {
      Map<Sku, Integer> units = new TreeMap<>();
      bin.getUnitsList().forEach(u -> units.put(Sku.of(u.getSku()), u.getUnits()));
      restored.put(BinId.of(bin.getBin()), units);
    }
    contents.clear();
    contents.putAll(restored);
  }
}
