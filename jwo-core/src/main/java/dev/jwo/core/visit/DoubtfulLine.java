package dev.jwo.core.visit;

import dev.jwo.core.BinId;
import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of a held receipt that a reviewer must decide: what one shelf event at {@code bin} around {@code ts}
 * did to this visit's receipt. {@code receiptHas} is how the receipt was drawn up ({@code quantity} units of
 * {@code sku}, negative for a put-back; quantity zero when the receipt leaves the event to another visit), and
 * {@code probability} how likely that is right. {@code alternatives} are the other explanations, most likely first,
 * with their probabilities; {@code tracks} the person tracks whose hands were at the bin. The rest of the receipt is
 * known. A null SKU is a change no product explains; an alternative's visit is a pseudonymous visit id, or
 * {@code "nobody"}.
 */
public record DoubtfulLine(
    long ts,
    BinId bin,
    @Nullable Sku sku,
    int quantity,
    double probability,
    List<Alternative> alternatives,
    List<TrackId> tracks,
    String evidence) {

  public DoubtfulLine {
    Objects.requireNonNull(bin, "bin");
    Objects.requireNonNull(evidence, "evidence");
    alternatives = List.copyOf(alternatives);
    tracks = List.copyOf(tracks);
    requireProbability(probability);
  }

  /** Another explanation of the shelf event: {@code quantity} units of {@code sku} for {@code visit}. */
  public record Alternative(String visit, @Nullable Sku sku, int quantity, double probability) {
    public Alternative {
      Objects.requireNonNull(visit, "visit");
      requireProbability(probability);
    }
  }

  static void requireProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("a probability must be within [0, 1]: " + p);
    }
  }
}
