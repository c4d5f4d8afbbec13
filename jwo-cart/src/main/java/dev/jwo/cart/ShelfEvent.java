package dev.jwo.cart;

import dev.jwo.core.BinId;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A settled change of a shelf's load: {@code deltaGrams} is negative when something was taken, positive when
 * something was put in. The change began at {@code startTs} and had settled by {@code endTs}.
 *
 * <p>One event may span several plates of one shelf (a unit lying across two of them): {@code plates} lists the
 * change of each, and {@code bin} is the plate whose load changed most. {@code deltaSdGrams} is the standard
 * deviation of {@code deltaGrams} from the load cells' noise (0 when the detector does not know it), and
 * {@code confidence}, in [0, 1], how sure the detector is that the load really changed by that much (low for a
 * change that never settled).
 *
 * @param plates the change of each plate involved, at least one; {@code bin} is among them
 */
public record ShelfEvent(
    BinId bin,
    long startTs,
    long endTs,
    double deltaGrams,
    double deltaSdGrams,
    double confidence,
    List<PlateChange> plates) {

  /**
   * The change of one plate, part of a shelf event.
   *
   * @param deltaSdGrams standard deviation of {@code deltaGrams} from the cell's noise; 0 when unknown
   */
  public record PlateChange(BinId bin, long startTs, long endTs, double deltaGrams, double deltaSdGrams) {
    public PlateChange {
      Objects.requireNonNull(bin, "bin");
      if (endTs < startTs) {
        throw new IllegalArgumentException("a plate change cannot end before it starts");
      }
      if (!Double.isFinite(deltaGrams) || !(deltaSdGrams >= 0) || Double.isInfinite(deltaSdGrams)) {
        throw new IllegalArgumentException("delta must be finite and its deviation finite and not negative");
      }
    }
  }

  public ShelfEvent {
    Objects.requireNonNull(bin, "bin");
    plates = List.copyOf(plates);
    if (endTs < startTs) {
      throw new IllegalArgumentException("a shelf event cannot end before it starts");
    }
    if (!Double.isFinite(deltaGrams)) {
      throw new IllegalArgumentException("delta must be finite");
    }
    if (!(deltaSdGrams >= 0) || Double.isInfinite(deltaSdGrams)) {
      throw new IllegalArgumentException("the delta's deviation must be finite and not negative");
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0, 1]");
    }
    if (plates.stream().noneMatch(p -> p.bin().equals(bin))) {
      throw new IllegalArgumentException("the plates of a shelf event must include its bin " + bin);
    }
  }

  /** A change of one plate, of unknown noise, fully confident. */
  public ShelfEvent(BinId bin, long startTs, long endTs, double deltaGrams) {
    this(bin, startTs, endTs, deltaGrams, 0, 1, List.of(new PlateChange(bin, startTs, endTs, deltaGrams, 0)));
  }

  /** A change of one plate. */
  public static ShelfEvent ofPlate(PlateChange change, double confidence) {
    return new ShelfEvent(change.bin(), change.startTs(), change.endTs(), change.deltaGrams(),
        change.deltaSdGrams(), confidence, List.of(change));
  }

  public boolean isRemoval() {
    return deltaGrams < 0;
  }

  /** The bins of the plates involved, the main one first. */
  public List<BinId> bins() {
    return Stream.concat(Stream.of(bin),
        plates.stream().map(PlateChange::bin).filter(b -> !b.equals(bin))).toList();
  }
}
