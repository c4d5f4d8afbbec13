package dev.jwo.cart;

import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one shelf event may have been, as a joint distribution over who made it and what it was: each
 * {@link Outcome} is a visit (or nobody that can be charged) with a quantity of a product, and a probability; the
 * outcomes' probabilities sum to at most 1. {@code chosen} is the outcome written into that visit's cart (null when
 * the event was given to nobody). The checkout weighs every receipt the event touches with it; the decision trace
 * prints it.
 */
public record ShelfEventBelief(
    ShelfEvent event, List<Outcome> outcomes, @Nullable Outcome chosen, List<TrackId> tracks, String evidence) {

  /**
   * One explanation: {@code quantity} units of {@code sku} (negative: put back) by {@code visit}. A null visit is
   * somebody no visit can be named for; a null SKU a change no product explains.
   */
  public record Outcome(@Nullable VisitId visit, @Nullable Sku sku, int quantity, double probability) {
    public Outcome {
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException("a probability must be within [0, 1]: " + probability);
      }
    }

    /** Whether this outcome changes {@code visit}'s receipt. */
    public boolean charges(VisitId visit) {
      return visit.equals(this.visit) && sku != null && quantity != 0;
    }
  }

  public ShelfEventBelief {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(evidence, "evidence");
    tracks = List.copyOf(tracks);
    outcomes = outcomes.stream()
        .sorted(Comparator.comparingDouble(Outcome::probability).reversed()
            .thenComparing(o -> String.valueOf(o.visit()))
            .thenComparing(o -> String.valueOf(o.sku()))
            .thenComparingInt(Outcome::quantity))
        .toList();
    double sum = outcomes.stream().mapToDouble(Outcome::probability).sum();
    if (sum > 1 + 1e-6) {
      throw new IllegalArgumentException("outcome probabilities sum to more than 1: " + sum);
    }
  }

  /** The probability that {@code visit} made the event at all. */
  public double probabilityOf(VisitId visit) {
    return outcomes.stream().filter(o -> visit.equals(o.visit())).mapToDouble(Outcome::probability).sum();
  }

  /** The visits the event may belong to, in order of first mention (most likely first). */
  public List<VisitId> visits() {
    return outcomes.stream().map(Outcome::visit).filter(Objects::nonNull).distinct().toList();
  }
}
