package dev.jwo.cart.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.VisitListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {
  static final long T = 1_764_410_400_000L;
  static final GateId EXIT = GateId.of("out-1");

  private final List<String> told = new ArrayList<>();
  private final VisitListener listener = new VisitListener() {
    @Override
    public void visitStarted(Admission admission) {
      told.add("started " + admission.visitId());
    }

    @Override
    public void visitEnded(Admission admission, long exitTs) {
      told.add("ended " + admission.visitId() + " at " + exitTs);
    }
  };
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SessionRegistry sessions = new SessionRegistry(() -> Set.of(listener), registry);

  @Test
  void aVisitEndsWhenEveryMemberOfThePartyHasLeft() {
    VisitId visit = admit("c-1", T, 2);
    assertThat(state(visit)).isEqualTo(SessionState.ADMITTED);
    sessions.memberEntered(visit, TrackId.of("t1"), T + 500);
    assertThat(state(visit)).isEqualTo(SessionState.SHOPPING);
    sessions.memberEntered(visit, TrackId.of("t2"), T + 800);

    sessions.memberExited(visit, TrackId.of("t1"), T + 60_000);
    assertThat(state(visit)).isEqualTo(SessionState.SHOPPING);
    assertThat(sessions.endedBy(Long.MAX_VALUE)).isEmpty();
    sessions.memberExited(visit, TrackId.of("t2"), T + 70_000);

    Session session = sessions.session(visit).orElseThrow();
    assertThat(session.state()).isEqualTo(SessionState.ENDED);
    assertThat(session.exitTs()).isEqualTo(T + 70_000);
    assertThat(session.membersSeen()).isEqualTo(2);
    assertThat(session.membersExited()).isEqualTo(2);
    assertThat(session.doubts()).isEmpty();
    assertThat(sessions.endedBy(T + 69_999)).isEmpty();
    assertThat(sessions.endedBy(T + 70_000)).containsExactly(session);
    assertThat(sessions.inStore()).isEmpty();
  }

  @Test
  void anEntryWindowClosingWithFewerMembersThanThePartyIsADoubt() {
    VisitId visit = admit("c-1", T, 2);
    sessions.memberEntered(visit, TrackId.of("t1"), T + 500);

    sessions.entryWindowClosed(visit, 1, T + 15_001);
    assertThat(sessions.session(visit).orElseThrow().doubts())
        .containsExactly("1 of 2 party members were seen coming in");
    assertThat(state(visit)).isEqualTo(SessionState.SHOPPING);

    sessions.memberExited(visit, TrackId.of("t1"), T + 40_000);
    assertThat(state(visit)).as("the one member seen has left").isEqualTo(SessionState.ENDED);
  }

  @Test
  void theExitTimeIsWhenTheLastMemberLeftEvenIfTheEntryWindowClosedLater() {
    VisitId visit = admit("c-1", T, 2);
    sessions.memberEntered(visit, TrackId.of("t1"), T + 500);
    sessions.memberExited(visit, TrackId.of("t1"), T + 9_000);
    assertThat(state(visit)).as("a second member may still come in").isEqualTo(SessionState.SHOPPING);

    sessions.entryWindowClosed(visit, 1, T + 15_001);

    Session session = sessions.session(visit).orElseThrow();
    assertThat(session.state()).isEqualTo(SessionState.ENDED);
    assertThat(session.exitTs()).isEqualTo(T + 9_000);
  }

  @Test
  void aPartyNobodyWasSeenOfEndsWhenItsEntryWindowCloses() {
    VisitId visit = admit("c-1", T, 1);

    sessions.entryWindowClosed(visit, 0, T + 15_001);

    Session session = sessions.session(visit).orElseThrow();
    assertThat(session.state()).isEqualTo(SessionState.ENDED);
    assertThat(session.exitTs()).isEqualTo(T + 15_001);
    assertThat(session.doubts()).containsExactly("0 of 1 party members were seen coming in");
  }

  @Test
  void anExitNobodyCouldBeMatchedToEndsNoVisitAndDoubtsNone() {
    VisitId first = admit("c-1", T, 1);
    VisitId second = admit("c-2", T + 1_000, 1);
    sessions.memberEntered(first, TrackId.of("t1"), T + 500);
    sessions.memberEntered(second, TrackId.of("t2"), T + 1_500);

    sessions.unmatchedExit(EXIT, T + 30_000);

    for (VisitId visit : List.of(first, second)) {
      assertThat(state(visit)).as("whose exit it was is not known: %s goes on", visit)
          .isEqualTo(SessionState.SHOPPING);
      assertThat(sessions.session(visit).orElseThrow().doubts()).isEmpty();
    }
    assertThat(registry.get("jwo.sessions.exits.unmatched").counter().count()).isEqualTo(1);

    // Each visit ends on its own shopper's exit.
    sessions.memberExited(first, TrackId.of("t1"), T + 40_000);
    assertThat(sessions.session(first).orElseThrow().exitTs()).isEqualTo(T + 40_000);
    assertThat(state(second)).isEqualTo(SessionState.SHOPPING);
  }

  @Test
  void listenersAreToldWhenAVisitStartsAndOnceWhenItIsSettled() {
    VisitId visit = admit("c-1", T, 1);
    admit("c-1", T, 1);
    sessions.memberEntered(visit, TrackId.of("t1"), T + 500);
    sessions.memberExited(visit, TrackId.of("t1"), T + 9_000);

    sessions.markSettled(visit);
    sessions.markSettled(visit);

    assertThat(told).containsExactly("started " + visit, "ended " + visit + " at " + (T + 9_000));
    assertThat(state(visit)).isEqualTo(SessionState.SETTLED);
    assertThat(sessions.sessions()).hasSize(1);
    assertThat(registry.get("jwo.sessions.admitted").counter().count()).isEqualTo(1);
  }

  @Test
  void doubtsAreKeptOnceAndNotAfterSettlement() {
    VisitId visit = admit("c-1", T, 1);
    sessions.addDoubt(visit, "a change at bin A1-1 could not be given to anyone");
    sessions.addDoubt(visit, "a change at bin A1-1 could not be given to anyone");
    sessions.markSettled(visit);
    sessions.addDoubt(visit, "too late");

    assertThat(sessions.session(visit).orElseThrow().doubts())
        .containsExactly("a change at bin A1-1 could not be given to anyone");
    assertThat(told).containsExactly("started " + visit);
  }

  @Test
  void eachDoubtWeighsOnTheMovementsOnceWithItsProbability() {
    VisitId visit = admit("c-1", T, 1);
    assertThat(sessions.session(visit).orElseThrow().movementProbability()).isEqualTo(1.0);

    sessions.movementInDoubt(visit, "the exit was matched to a track that is this visit's with p 0.9", 0.9, T + 1);
    sessions.movementInDoubt(visit, "the exit was matched to a track that is this visit's with p 0.9", 0.9, T + 2);
    sessions.addDoubt(visit, "a change at bin A1-1 could not be given to anyone");

    assertThat(sessions.session(visit).orElseThrow().movementProbability()).isCloseTo(0.45, within(1e-9));
  }

  @Test
  void anExitTrackingIsUnsureOfIsADoubtOfTheVisitThatEndsWithIt() {
    VisitId visit = admit("c-1", T, 1);
    sessions.memberEntered(visit, TrackId.of("t1"), T + 500);

    sessions.movementInDoubt(visit, "the exit may have been another visit's", T + 30_000);
    sessions.memberExited(visit, TrackId.of("t1"), T + 30_000);

    assertThat(state(visit)).isEqualTo(SessionState.ENDED);
    assertThat(sessions.session(visit).orElseThrow().doubts())
        .containsExactly("the exit may have been another visit's");
  }

  @Test
  void aRestartNeedsInputFromTheLastMomentNoVisitWasInTheStore() {
    VisitId a = admit("c-a", T, 1);
    sessions.memberEntered(a, TrackId.of("t1"), T + 500);
    VisitId b = admit("c-b", T + 50_000, 1);
    sessions.memberEntered(b, TrackId.of("t2"), T + 50_500);
    sessions.memberExited(a, TrackId.of("t1"), T + 100_000);
    sessions.markSettled(a);
    assertThat(sessions.needsInputSince(T + 150_000)).as("b is open and a was inside when b came").isEqualTo(T);

    sessions.memberExited(b, TrackId.of("t2"), T + 200_000);
    sessions.markSettled(b);
    assertThat(sessions.needsInputSince(T + 240_000)).as("nobody is inside").isEqualTo(T + 240_000);

    VisitId c = admit("c-c", T + 250_000, 1);
    sessions.memberEntered(c, TrackId.of("t3"), T + 250_500);
    assertThat(sessions.needsInputSince(T + 300_000)).as("the store was empty when c came").isEqualTo(T + 250_000);
  }

  @Test
  void aRestoredRegistryGoesOnAsTheOneItWasSnapshottedFromAndItsSnapshotHoldsNoCredential() {
    VisitId settled = admit("c-settled-1111", T, 1);
    sessions.memberEntered(settled, TrackId.of("t1"), T + 500);
    sessions.memberExited(settled, TrackId.of("t1"), T + 30_000);
    sessions.markSettled(settled);
    VisitId shopping = admit("c-shopping-2222", T + 1_000, 3);
    sessions.memberEntered(shopping, TrackId.of("t2"), T + 1_500);
    sessions.memberEntered(shopping, TrackId.of("t3"), T + 1_700);
    sessions.entryWindowClosed(shopping, 2, T + 11_000);
    sessions.movementInDoubt(shopping, "an exit on a track of uncertain visit", 0.8, T + 20_000);
    VisitId admitted = admit("c-admitted-3333", T + 40_000, 2);
    VisitId leaving = admit("c-leaving-4444", T + 41_000, 1);
    sessions.memberEntered(leaving, TrackId.of("t4"), T + 41_500);
    sessions.memberExited(leaving, TrackId.of("t4"), T + 45_000);

    com.google.protobuf.ByteString state = sessions.exportState(REVERSING_SEAL);
    SessionRegistry restored = new SessionRegistry(() -> Set.of(listener), registry);
    restored.restoreState(sessions.snapshotVersion(), state, REVERSING_SEAL);

    assertThat(state.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("c-");
    assertThat(restored.sessions()).isEqualTo(sessions.sessions().stream()
        .filter(s -> s.state() != SessionState.SETTLED).toList());
    assertThat(restored.session(admitted).orElseThrow().admission().credential())
        .isEqualTo(Credential.of("c-admitted-3333"));
    for (SessionRegistry r : List.of(sessions, restored)) {
      r.memberExited(shopping, TrackId.of("t2"), T + 60_000);
      r.memberEntered(admitted, TrackId.of("t5"), T + 60_500);
      r.memberExited(shopping, TrackId.of("t3"), T + 61_000);
    }
    assertThat(restored.endedBy(T + 61_000)).isEqualTo(sessions.endedBy(T + 61_000)).hasSize(2);
    assertThat(restored.inStore()).isEqualTo(sessions.inStore());
    // Settled visits are not kept: the oldest entry it still needs is that of the oldest visit not settled.
    assertThat(restored.needsInputSince(T + 62_000)).isEqualTo(T + 1_000);
  }

  @Test
  void aSnapshotOfAnotherVersionIsRefused() {
    assertThatThrownBy(() -> sessions.restoreState(99, com.google.protobuf.ByteString.EMPTY, REVERSING_SEAL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 99");
  }

  /** Seals a credential by reversing it behind a subject, as the store's seal keeps it unreadable. */
  private static final SnapshotSeal REVERSING_SEAL = new SnapshotSeal() {
    @Override
    public AdmissionState seal(Admission admission) {
      String credential = admission.credential().reveal();
      return AdmissionState.newBuilder().setTs(admission.ts()).setEntry(EntryScan.newBuilder()
          .setGate(admission.gate().value())
          .setPartySize(admission.partySize())
          .setSealedCredential(com.google.protobuf.ByteString.copyFromUtf8(
              new StringBuilder(credential).reverse().toString()))
          .setCredentialSubject("s-" + credential.length())).build();
    }

    @Override
    public Admission open(AdmissionState sealed) {
      GateId gate = GateId.of(sealed.getEntry().getGate());
      return new Admission(Admission.visitIdFor(gate, sealed.getTs()), sealed.getTs(), gate,
          Credential.of(new StringBuilder(sealed.getEntry().getSealedCredential().toStringUtf8()).reverse()
              .toString()), sealed.getEntry().getPartySize(), null);
    }
  };

  private VisitId admit(String credential, long ts, int party) {
    EntryEvent entry = new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), party, null);
    sessions.onEvent(entry);
    return Admission.from(entry).visitId();
  }

  private SessionState state(VisitId visit) {
    return sessions.session(visit).orElseThrow().state();
  }
}
