package dev.jwo.cart.session;

import dev.jwo.core.visit.Admission;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one visit's session. {@code exitTs} is null until every member has left. {@code movementProbability}
 * is the probability that tracking followed the visit's movements right despite its {@code doubts} (1 without any).
 */
public record Session(
    Admission admission,
    SessionState state,
    int membersSeen,
    int membersExited,
    @Nullable Long exitTs,
    List<String> doubts,
    double movementProbability) {

  public Session {
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(state, "state");
    doubts = List.copyOf(doubts);
    if (!(movementProbability >= 0 && movementProbability <= 1)) {
      throw new IllegalArgumentException("a probability is within [0, 1]");
    }
  }
}
