package dev.jwo.cart.session;

import dev.jwo.core.visit.Admission;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A snapshot of one visit's session. {@code exitTs} is null until every member has left. */
public record Session(
    Admission admission,
    SessionState state,
    int membersSeen,
    int membersExited,
    @Nullable Long exitTs,
    List<String> doubts) {

  public Session {
    Objects.requireNonNull(admission, "admission");
    Objects.requireNonNull(state, "state");
    doubts = List.copyOf(doubts);
  }
}
