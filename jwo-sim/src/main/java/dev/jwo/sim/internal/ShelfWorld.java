package dev.jwo.sim.internal;

import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.sim.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The physical units on the shelves. Every unit has its own weight (drawn from its product's mean and spread),
 * so a load cell sees the weight of the very unit taken. Planned actions are carried out in time order: a take
 * from an empty bin takes nothing, a put-back returns the very unit taken (into whichever bin the hand is in),
 * and what each party holds at the end is its true receipt.
 */
final class ShelfWorld {
  record Unit(Sku sku, double grams) {}

  /** A load change of one bin: {@code grams} (negative when units leave) at {@code ts}. */
  record LoadChange(long ts, double grams) {}

  /** What really happened at a shelf, for the truth file. {@code action}: take, put, inspect or empty. */
  record Interaction(long ts, StoreModel.Slot slot, Person person, String action, Sku sku, int units, double grams,
      boolean wrongBin) {}

  private final StoreModel store;
  private final List<List<Unit>> bins = new ArrayList<>();
  private final double[] initialLoad;
  private final double[] tare;
  private final List<List<LoadChange>> changes = new ArrayList<>();
  private final List<Interaction> interactions = new ArrayList<>();
  private final Map<Long, List<Unit>> taken = new HashMap<>();

  private final Scenario.LoadCells cells;
  private final SplittableRandom realism;

  /**
   * @param cells where units lie across two plates, and how much a change shows on the neighbours' cells
   * @param realism draws for {@code cells}' effects only, so that a scenario without them draws as before
   */
  ShelfWorld(StoreModel store, SplittableRandom random, Scenario.LoadCells cells, SplittableRandom realism) {
    this.store = store;
    this.cells = cells;
    this.realism = realism;
    int n = store.slots().size();
    initialLoad = new double[n];
    tare = new double[n];
    for (StoreModel.Slot slot : store.slots()) {
      Product product = store.layout().productIn(slot.bin());
      List<Unit> units = new ArrayList<>();
      double load = 0;
      for (int i = 0; i < slot.bin().initialQuantity(); i++) {
        double grams = Math.max(product.unitWeightGrams() * 0.5,
            product.unitWeightGrams() + product.weightSdGrams() * random.nextGaussian());
        units.add(new Unit(product.sku(), grams));
        load += grams;
      }
      bins.add(units);
      initialLoad[slot.index()] = load;
      tare[slot.index()] = 350 + random.nextInt(600);
      changes.add(new ArrayList<>());
    }
  }

  /** Carries out {@code actions}, which must be in time order. */
  void apply(List<ShelfAction> actions) {
    for (ShelfAction action : actions) {
      StoreModel.Slot slot = action.slot();
      List<Unit> bin = bins.get(slot.index());
      Sku planned = slot.bin().sku();
      Party party = action.person().party;
      switch (action.kind()) {
        case TAKE -> {
          List<Unit> hand = new ArrayList<>();
          for (int i = 0; i < bin.size() && hand.size() < action.units(); ) {
            if (bin.get(i).sku().equals(planned)) {
              hand.add(bin.remove(i));
            } else {
              i++;
            }
          }
          taken.put(action.id(), hand);
          if (hand.isEmpty()) {
            interactions.add(new Interaction(action.ts(), slot, action.person(), "empty", planned, 0, 0, false));
          } else {
            double grams = hand.stream().mapToDouble(Unit::grams).sum();
            if (cells.acrossShare() > 0) {
              hand.forEach(unit -> place(slot, action.ts(), -unit.grams()));
            } else {
              changes.get(slot.index()).add(new LoadChange(action.ts(), -grams));
            }
            party.add(planned, hand.size());
            interactions.add(new Interaction(action.ts(), slot, action.person(), "take", planned, hand.size(),
                -grams, false));
          }
        }
        case PUT -> {
          List<Unit> hand = taken.get(action.takeId());
          if (hand == null || hand.isEmpty()) {
            continue;
          }
          Unit unit = hand.remove(0);
          bin.add(unit);
          place(slot, action.ts(), unit.grams());
          party.add(unit.sku(), -1);
          interactions.add(new Interaction(action.ts(), slot, action.person(), "put", unit.sku(), 1, unit.grams(),
              !unit.sku().equals(planned)));
        }
        case INSPECT -> {
          int i = 0;
          while (i < bin.size() && !bin.get(i).sku().equals(planned)) {
            i++;
          }
          if (i == bin.size()) {
            interactions.add(new Interaction(action.ts(), slot, action.person(), "empty", planned, 0, 0, false));
            continue;
          }
          Unit unit = bin.get(i);
          double share = acrossShare();
          StoreModel.Slot beside = share < 1 ? besideOf(slot) : slot;
          addChange(slot, action.ts(), -unit.grams() * share);
          addChange(slot, action.secondTs(), unit.grams() * share);
          if (share < 1) {
            addChange(beside, action.ts(), -unit.grams() * (1 - share));
            addChange(beside, action.secondTs(), unit.grams() * (1 - share));
          }
          interactions.add(new Interaction(action.ts(), slot, action.person(), "inspect", planned, 1, 0, false));
        }
      }
    }
    if (cells.crossTalkMax() > 0) {
      addCrossTalk();
    }
    for (List<LoadChange> list : changes) {
      list.sort(java.util.Comparator.comparingLong(LoadChange::ts));
    }
  }

  /** A unit's weight arriving on (positive) or leaving (negative) a plate, or two if it lies across. */
  private void place(StoreModel.Slot slot, long ts, double grams) {
    double share = acrossShare();
    addChange(slot, ts, grams * share);
    if (share < 1) {
      addChange(besideOf(slot), ts, grams * (1 - share));
    }
  }

  /** The share of a unit's weight on its own plate: all of it, or 25-75 % for one lying across two. */
  private double acrossShare() {
    if (cells.acrossShare() <= 0 || realism.nextDouble() >= cells.acrossShare()) {
      return 1;
    }
    return 0.25 + 0.5 * realism.nextDouble();
  }

  private StoreModel.Slot besideOf(StoreModel.Slot slot) {
    List<StoreModel.Slot> beside = store.boardNeighbours(slot);
    return beside.isEmpty() ? slot : beside.get(realism.nextInt(beside.size()));
  }

  private void addChange(StoreModel.Slot slot, long ts, double grams) {
    changes.get(slot.index()).add(new LoadChange(ts, grams));
  }

  /** Every change shows, for good, as a small share of itself on the cells of the plates beside it. */
  private void addCrossTalk() {
    List<List<LoadChange>> physical = new ArrayList<>();
    for (List<LoadChange> list : changes) {
      physical.add(List.copyOf(list));
    }
    for (StoreModel.Slot slot : store.slots()) {
      for (LoadChange change : physical.get(slot.index())) {
        for (StoreModel.Slot beside : store.boardNeighbours(slot)) {
          double share = cells.crossTalkMin() + (cells.crossTalkMax() - cells.crossTalkMin()) * realism.nextDouble();
          addChange(beside, change.ts(), change.grams() * share);
        }
      }
    }
  }

  double initialLoad(StoreModel.Slot slot) {
    return initialLoad[slot.index()];
  }

  double tare(StoreModel.Slot slot) {
    return tare[slot.index()];
  }

  List<LoadChange> changes(StoreModel.Slot slot) {
    return changes.get(slot.index());
  }

  List<Interaction> interactions() {
    return interactions;
  }

  StoreModel store() {
    return store;
  }
}
