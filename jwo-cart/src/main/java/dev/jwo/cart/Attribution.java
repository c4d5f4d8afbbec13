package dev.jwo.cart;

import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whose hand made a shelf event: the most likely visit (or nobody identified), whether that is clear enough to
 * charge without a person checking, why, and every candidate visit with its probability and evidence, most likely
 * first. The candidates' probabilities sum to at most 1; the rest is for somebody no visit can be named for (an
 * unidentified or unseen person). An attribution that names no visit cannot be confident (the constructor rejects
 * it): there is no one to charge.
 */
public record Attribution(
    @Nullable VisitId visit, boolean confident, String explanation, List<Candidate> candidates, List<Hand> hands) {

  /**
   * One person's hands at the bin, as an attributor that follows hands saw them: the track, the probability that it
   * alone made the event, how long its hand was in the bin, and the visit it most likely belongs to with that
   * probability (null when unidentified). An event of several units whose hands came from several visits may have
   * been several people each taking some.
   */
  public record Hand(TrackId track, double probability, long inBinMillis, @Nullable VisitId visit,
      double visitProbability) {
    public Hand {
      Objects.requireNonNull(track, "track");
      if (!(probability >= 0 && probability <= 1) || !(visitProbability >= 0 && visitProbability <= 1)
          || inBinMillis < 0) {
        throw new IllegalArgumentException("a hand needs probabilities within [0, 1] and a time of at least 0");
      }
    }
  }

  /**
   * One visit that may have made the shelf event, with the tracks whose hands were at the bin and the evidence for
   * it in words.
   */
  public record Candidate(VisitId visit, double probability, List<TrackId> tracks, String evidence) {
    public Candidate {
      Objects.requireNonNull(visit, "visit");
      Objects.requireNonNull(evidence, "evidence");
      tracks = List.copyOf(tracks);
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException("a probability must be within [0, 1]: " + probability);
      }
    }
  }

  /** The probability an attributor that gives no candidates is assumed to mean by "not confident". */
  public static final double UNSURE = 0.5;

  public Attribution {
    Objects.requireNonNull(explanation, "explanation");
    hands = List.copyOf(hands);
    if (confident && visit == null) {
      throw new IllegalArgumentException("an attribution to nobody cannot be confident");
    }
    candidates = candidates.stream()
        .sorted(Comparator.comparingDouble(Candidate::probability).reversed()
            .thenComparing(Candidate::visit))
        .toList();
    double sum = candidates.stream().mapToDouble(Candidate::probability).sum();
    if (sum > 1 + 1e-9) {
      throw new IllegalArgumentException("candidate probabilities sum to more than 1: " + sum);
    }
  }

  /** An attribution that names no hands (an attributor that does not follow them one by one). */
  public Attribution(@Nullable VisitId visit, boolean confident, String explanation, List<Candidate> candidates) {
    this(visit, confident, explanation, candidates, List.of());
  }

  /**
   * An attribution without probabilities (an attributor that only decides): its visit is certain when confident,
   * else {@value #UNSURE}.
   */
  public Attribution(@Nullable VisitId visit, boolean confident, String explanation) {
    this(visit, confident, explanation, visit == null ? List.of()
        : List.of(new Candidate(visit, confident ? 1.0 : UNSURE, List.of(), explanation)));
  }

  public static Attribution nobody(String explanation) {
    return new Attribution(null, false, explanation, List.of());
  }

  public Optional<VisitId> visitId() {
    return Optional.ofNullable(visit);
  }

  /** The probability that {@code visit} made the event (0 if it is no candidate). */
  public double probabilityOf(VisitId visit) {
    return candidates.stream().filter(c -> c.visit().equals(visit)).mapToDouble(Candidate::probability).sum();
  }
}
