package dev.jwo.core.visit;

import dev.jwo.core.GateId;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;

/**
 * Told by person tracking when a member of an admitted party walks in or out. Implemented by the session
 * registry, which ends a visit when all its members have left. Called from the pipeline thread only.
 */
public interface PartyMovements {

  /** A track was linked to a visit's party as it came through the entry gate. */
  void memberEntered(VisitId visit, TrackId track, long ts);

  /**
   * The time for a party to come through the entry gate is over: {@code membersSeen} tracks were linked to the
   * visit, which may be fewer than its party size (someone was never seen).
   */
  void entryWindowClosed(VisitId visit, int membersSeen, long ts);

  /** A linked track left through an exit gate. */
  void memberExited(VisitId visit, TrackId track, long ts);

  /**
   * Someone left through {@code gate} but no linked track could be matched to the exit. It must not end or charge any
   * visit by guess: whose exit it was is not known.
   */
  void unmatchedExit(GateId gate, long ts);

  /**
   * Tracking is unsure about a movement of the visit (an exit it matched may have been another visit's shopper's),
   * so the visit should be reviewed rather than charged unchecked. The default ignores it.
   */
  default void movementInDoubt(VisitId visit, String doubt, long ts) {}

  /**
   * As {@link #movementInDoubt(VisitId, String, long)}, with the probability that the movement was what tracking
   * took it for: the visit's receipt is right only if it was. The default passes the doubt on without it.
   */
  default void movementInDoubt(VisitId visit, String doubt, double probabilityRight, long ts) {
    movementInDoubt(visit, doubt, ts);
  }
}
