package dev.jwo.cart.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.cart.v1.SessionsState;
import dev.jwo.cart.v1.VisitState;
import dev.jwo.core.GateId;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.SnapshotStage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.PartyMovements;
import dev.jwo.core.visit.VisitListener;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visits in the store. An entry opens a visit; tracking reports its members coming in and going out; the
 * visit ends when every member seen coming in has left (or, before the entry window has closed, when the whole
 * party has). Things that make a visit doubtful (a member never seen, an exit nobody could be matched to) are
 * kept with it for the checkout. Its visits not yet settled go into the pipeline's snapshots ({@link SessionsState}).
 * Written from the pipeline thread; read from any thread.
 */
@Singleton
public final class SessionRegistry implements SensorEventHandler, SnapshotStage, PartyMovements {
  private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
  /** The probability a visit is right despite a doubt nobody could weigh (a movement as likely wrong as right). */
  static final double UNWEIGHED_DOUBT = 0.5;

  /** Lazy: listeners (tracking, compliance) themselves report movements to this registry. */
  private final Provider<Set<VisitListener>> listeners;
  private final MeterRegistry registry;
  private final Map<VisitId, Visit> visits = new LinkedHashMap<>();
  /** The visits of {@link #visits} in state ENDED (left, not yet settled): what {@link #endedBy} looks through. */
  private final Set<Visit> ended = new HashSet<>();
  /** Numbers visits in the order of {@link #visits}. */
  private long visitsNumbered;

  @Inject
  public SessionRegistry(Provider<Set<VisitListener>> listeners, MeterRegistry registry) {
    this.listeners = listeners;
    this.registry = registry;
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.SESSIONS;
  }

  @Override
  public void onEvent(SensorEvent event) {
    if (event instanceof EntryEvent entry) {
      Admission admission = Admission.from(entry);
      synchronized (this) {
        Visit known = visits.get(admission.visitId());
        if (known != null) {
          if (!known.admission.credential().equals(admission.credential())) {
            // A visit is named by its gate and time: a second credential in the same millisecond at the same gate
            // cannot be told apart from the first (the store's own admissions never share a time).
            registry.counter("jwo.sessions.entries_refused", "reason", "same_gate_and_time").increment();
            log.warn("gate {} admitted a second party at {} ms, the time of visit {}; the second entry is ignored",
                admission.gate(), admission.ts(), admission.visitId());
          }
          return;
        }
        visits.put(admission.visitId(), new Visit(admission, visitsNumbered++));
      }
      registry.counter("jwo.sessions.admitted").increment();
      for (VisitListener listener : listeners.get()) {
        listener.visitStarted(admission);
      }
    }
  }

  @Override
  public synchronized void memberEntered(VisitId visitId, TrackId track, long ts) {
    Visit visit = visits.get(visitId);
    if (visit == null) {
      return;
    }
    visit.membersSeen++;
    if (visit.state == SessionState.ADMITTED) {
      visit.state = SessionState.SHOPPING;
    }
  }

  @Override
  public synchronized void entryWindowClosed(VisitId visitId, int membersSeen, long ts) {
    Visit visit = visits.get(visitId);
    if (visit == null || visit.windowClosed) {
      return;
    }
    visit.windowClosed = true;
    int partySize = visit.admission.partySize();
    if (membersSeen < partySize) {
      visit.doubt(membersSeen + " of " + partySize + " party members were seen coming in", UNWEIGHED_DOUBT);
    }
    if (membersSeen == 0) {
      end(visit, ts);
    } else {
      endIfEveryoneLeft(visit, ts);
    }
  }

  @Override
  public synchronized void memberExited(VisitId visitId, TrackId track, long ts) {
    Visit visit = visits.get(visitId);
    if (visit == null || visit.state == SessionState.ENDED || visit.state == SessionState.SETTLED) {
      return;
    }
    visit.membersExited++;
    visit.lastExitTs = ts;
    endIfEveryoneLeft(visit, ts);
  }

  /**
   * Someone left whom tracking matched to no admitted shopper: counted, and nothing more. No visit is ended, charged
   * or put in doubt for it by guess (the oldest visit in the store is no likelier to be theirs than any other, and
   * whoever left may have come in without a scan); each visit ends on its own shoppers' exits. The store's incidents
   * report the exit.
   */
  @Override
  public synchronized void unmatchedExit(GateId gate, long ts) {
    registry.counter("jwo.sessions.exits.unmatched").increment();
  }

  @Override
  public void movementInDoubt(VisitId visitId, String doubt, long ts) {
    movementInDoubt(visitId, doubt, UNWEIGHED_DOUBT, ts);
  }

  @Override
  public void movementInDoubt(VisitId visitId, String doubt, double probabilityRight, long ts) {
    registry.counter("jwo.sessions.movements.doubtful").increment();
    addDoubt(visitId, doubt, probabilityRight);
  }

  private void endIfEveryoneLeft(Visit visit, long ts) {
    int expected = visit.windowClosed ? visit.membersSeen : visit.admission.partySize();
    if (expected > 0 && visit.membersExited >= expected) {
      // The visit may end when the entry window closes, after the last member has already left.
      end(visit, visit.lastExitTs != null ? visit.lastExitTs : ts);
    }
  }

  private void end(Visit visit, long ts) {
    visit.state = SessionState.ENDED;
    visit.exitTs = ts;
    ended.add(visit);
    registry.counter("jwo.sessions.ended").increment();
  }

  /** Ended visits not yet settled whose exit was at or before {@code ts}, in order of exit. */
  public synchronized List<Session> endedBy(long ts) {
    if (ended.isEmpty()) {
      return List.of();
    }
    List<Visit> due = new ArrayList<>();
    for (Visit visit : ended) {
      if (visit.exitTs != null && visit.exitTs <= ts) {
        due.add(visit);
      }
    }
    due.sort(Comparator.comparingLong((Visit v) -> v.exitTs == null ? 0 : v.exitTs).thenComparingLong(v -> v.number));
    return due.stream().map(Visit::snapshot).toList();
  }

  /**
   * Input from the last moment no visit was in the store, as far back as needed: replaying from there rebuilds every
   * visit still open exactly, because no other shopper was already inside (a shopper of a visit settled since was
   * still followed, and a pick near them weighed, when the open visits began). In a store that is never empty this
   * reaches back to the first visit this registry knows.
   */
  @Override
  public synchronized long needsInputSince(long ts) {
    long since = ts;
    List<Visit> byEntry = new ArrayList<>(visits.values());
    for (int i = byEntry.size() - 1; i >= 0; i--) {
      Visit visit = byEntry.get(i);
      long left = visit.state == SessionState.SETTLED && visit.exitTs != null ? visit.exitTs : Long.MAX_VALUE;
      if (visit.admission.ts() < since && left >= since) {
        since = visit.admission.ts();
      }
    }
    return since;
  }

  @Override
  public String snapshotName() {
    return "sessions";
  }

  @Override
  public int snapshotVersion() {
    return 1;
  }

  /** Every visit not yet settled, in order of entry, with its admission sealed. */
  @Override
  public synchronized ByteString exportState(SnapshotSeal seal) {
    SessionsState.Builder state = SessionsState.newBuilder();
    for (Visit visit : visits.values()) {
      if (visit.state == SessionState.SETTLED) {
        continue;
      }
      VisitState.Builder kept = VisitState.newBuilder()
          .setAdmission(seal.seal(visit.admission))
          .setState(visit.state.name())
          .setMembersSeen(visit.membersSeen)
          .setMembersExited(visit.membersExited)
          .setWindowClosed(visit.windowClosed)
          .addAllDoubts(visit.doubts)
          .setMovementProbability(visit.movementProbability);
      if (visit.exitTs != null) {
        kept.setExitTs(visit.exitTs);
      }
      if (visit.lastExitTs != null) {
        kept.setLastExitTs(visit.lastExitTs);
      }
      state.addVisits(kept);
    }
    return state.build().toByteString();
  }

  /** Takes the visits of a snapshot; the visit listeners are not told again of their start. */
  @Override
  public synchronized void restoreState(int version, ByteString state, SnapshotSeal seal) {
    if (version != 1) {
      throw new IllegalArgumentException("sessions state version " + version + " is unknown to this release");
    }
    SessionsState kept;
    try {
      kept = SessionsState.parseFrom(state);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("the sessions state cannot be read: " + e.getMessage(), e);
    }
    visits.clear();
    ended.clear();
    for (VisitState v : kept.getVisitsList()) {
      Visit visit = new Visit(seal.open(v.getAdmission()), visitsNumbered++);
      visit.state = SessionState.valueOf(v.getState());
      visit.membersSeen = v.getMembersSeen();
      visit.membersExited = v.getMembersExited();
      visit.windowClosed = v.getWindowClosed();
      visit.exitTs = v.hasExitTs() ? v.getExitTs() : null;
      visit.lastExitTs = v.hasLastExitTs() ? v.getLastExitTs() : null;
      visit.doubts.addAll(v.getDoubtsList());
      visit.movementProbability = v.getMovementProbability();
      visits.put(visit.admission.visitId(), visit);
      if (visit.state == SessionState.ENDED) {
        ended.add(visit);
      }
    }
  }

  /** Visits still in the store, in order of entry. */
  public synchronized List<Session> inStore() {
    return visits.values().stream()
        .filter(v -> v.state == SessionState.ADMITTED || v.state == SessionState.SHOPPING)
        .map(Visit::snapshot)
        .toList();
  }

  /** Marks a visit settled and tells the visit listeners that its purpose is over. */
  public void markSettled(VisitId visitId) {
    Session settled;
    synchronized (this) {
      Visit visit = visits.get(visitId);
      if (visit == null || visit.state == SessionState.SETTLED) {
        return;
      }
      visit.state = SessionState.SETTLED;
      ended.remove(visit);
      settled = visit.snapshot();
    }
    if (settled.exitTs() != null) {
      for (VisitListener listener : listeners.get()) {
        listener.visitEnded(settled.admission(), settled.exitTs());
      }
    }
  }

  /** Adds a doubt to a visit that is not settled yet, one that may as well be right as wrong. */
  public void addDoubt(VisitId visitId, String doubt) {
    addDoubt(visitId, doubt, UNWEIGHED_DOUBT);
  }

  /** Adds a doubt to a visit that is not settled yet, with the probability that the visit is right despite it. */
  public synchronized void addDoubt(VisitId visitId, String doubt, double probabilityRight) {
    Visit visit = visits.get(visitId);
    if (visit != null && visit.state != SessionState.SETTLED && !visit.doubts.contains(doubt)) {
      visit.doubt(doubt, probabilityRight);
    }
  }

  public synchronized Optional<Session> session(VisitId visitId) {
    Visit visit = visits.get(visitId);
    return visit == null ? Optional.empty() : Optional.of(visit.snapshot());
  }

  /** Every visit known, in order of entry. */
  public synchronized List<Session> sessions() {
    return visits.values().stream().map(Visit::snapshot).toList();
  }

  private static final class Visit {
    final Admission admission;
    /** Its place in the order of {@link #visits}. */
    final long number;
    SessionState state = SessionState.ADMITTED;
    int membersSeen;
    int membersExited;
    boolean windowClosed;
    @Nullable Long exitTs;
    @Nullable Long lastExitTs;
    final List<String> doubts = new ArrayList<>();
    double movementProbability = 1;

    Visit(Admission admission, long number) {
      this.admission = admission;
      this.number = number;
    }

    /** Records a doubt and weighs the visit's movements by the probability that they are right despite it. */
    void doubt(String doubt, double probabilityRight) {
      doubts.add(doubt);
      movementProbability *= Math.max(0, Math.min(1, probabilityRight));
    }

    Session snapshot() {
      return new Session(admission, state, membersSeen, membersExited, exitTs, doubts, movementProbability);
    }
  }
}
