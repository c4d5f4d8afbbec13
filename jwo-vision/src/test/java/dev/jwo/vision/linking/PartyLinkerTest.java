package dev.jwo.vision.linking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Credential;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.Position;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.TestLayouts;
import dev.jwo.vision.TrackStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Linking with {@link LinkerSettings#DEFAULTS}: tracks born within 2.5 m of the entry, from 3 s before to 15 s after
 * the scan, join the party; exits match within 3 m; lost tracks are continued within 1 m plus 1.6 m/s.
 */
class PartyLinkerTest {
  static final long T = 1_764_410_400_000L;
  static final Position AT_ENTRY = new Position(2, 0.5);

  private final StoreLayout layout = TestLayouts.store();
  private final Gate exit = layout.gate(GateId.of("out-1")).orElseThrow();
  private final PartyLinker linker = new PartyLinker(layout, LinkerSettings.DEFAULTS);

  @Test
  void tracksBornAtTheEntryAfterTheScanJoinTheParty_upToItsSize() {
    Admission party = admission("c-1", T, 2);
    assertThat(linker.admit(party)).isEmpty();

    FakeTrack first = new FakeTrack("t1", T + 1_000, AT_ENTRY);
    FakeTrack second = new FakeTrack("t2", T + 1_500, new Position(2.4, 0.8));
    FakeTrack third = new FakeTrack("t3", T + 2_000, new Position(1.8, 0.4));

    assertThat(linker.onConfirmed(first, T + 1_200)).isEqualTo(joined(first, party, T + 1_200));
    assertThat(linker.onConfirmed(second, T + 1_700)).isEqualTo(joined(second, party, T + 1_700));
    assertThat(linker.onConfirmed(third, T + 2_200)).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(linker.admissionOf(first.id())).contains(party);
    assertThat(linker.admissionOf(third.id())).isEmpty();
  }

  @Test
  void twoAdmissionsAtTheSameGateAreFilledFirstComeFirstServed() {
    Admission a = admission("c-a", T, 1);
    Admission b = admission("c-b", T + 500, 1);
    linker.admit(a);
    linker.admit(b);

    FakeTrack x = new FakeTrack("tx", T + 1_000, AT_ENTRY);
    FakeTrack y = new FakeTrack("ty", T + 1_100, AT_ENTRY);

    assertThat(linker.onConfirmed(x, T + 1_300)).isEqualTo(joined(x, a, T + 1_300));
    assertThat(linker.onConfirmed(y, T + 1_400)).isEqualTo(joined(y, b, T + 1_400));
  }

  @Test
  void aTrackThatTwoAdmittingPartiesCouldHaveClaimedNamesTheOtherAsARival() {
    Admission a = admission("c-a", T, 2);
    Admission b = admission("c-b", T + 500, 1);
    linker.admit(a);
    linker.admit(b);

    FakeTrack x = new FakeTrack("tx", T + 1_000, AT_ENTRY);
    linker.onConfirmed(x, T + 1_300);
    FakeTrack y = new FakeTrack("ty", T + 1_100, AT_ENTRY);
    linker.onConfirmed(y, T + 1_400);
    FakeTrack z = new FakeTrack("tz", T + 1_200, AT_ENTRY);
    linker.onConfirmed(z, T + 1_500);

    assertThat(linker.entryRivals(x.id())).containsExactly(b);
    assertThat(linker.entryRivals(y.id())).containsExactly(b);
    assertThat(linker.entryRivals(z.id())).as("only one party was left to claim it").isEmpty();
    assertThat(linker.admissionOf(z.id())).contains(b);
  }

  @Test
  void tracksSeenAtTheGateJustBeforeTheScanJoinWhenItComes() {
    FakeTrack early = new FakeTrack("t1", T - 1_000, AT_ENTRY);
    FakeTrack tooEarly = new FakeTrack("t2", T - 5_000, new Position(2.2, 0.3));
    FakeTrack elsewhere = new FakeTrack("t3", T - 500, new Position(7, 5));
    assertThat(linker.onConfirmed(tooEarly, T - 4_800)).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(linker.onConfirmed(early, T - 800)).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(linker.onConfirmed(elsewhere, T - 300)).isInstanceOf(PartyLinker.Unlinked.class);

    Admission party = admission("c-1", T, 3);

    assertThat(linker.admit(party)).containsExactly(new PartyLink(early.id(), party, T));
    assertThat(linker.admissionOf(tooEarly.id())).isEmpty();
    assertThat(linker.admissionOf(elsewhere.id())).isEmpty();
  }

  @Test
  void aTrackBornAwayFromTheEntryDoesNotTakeAPlaceInTheParty() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);

    assertThat(linker.onConfirmed(new FakeTrack("t1", T + 1_000, new Position(6, 4)), T + 1_200))
        .isInstanceOf(PartyLinker.Unlinked.class);
    FakeTrack member = new FakeTrack("t2", T + 2_000, AT_ENTRY);
    assertThat(linker.onConfirmed(member, T + 2_200)).isEqualTo(joined(member, party, T + 2_200));
  }

  @Test
  void aNewTrackBornNearALostLinkedTrackContinuesIt() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = new FakeTrack("t1", T + 1_000, AT_ENTRY);
    linker.onConfirmed(member, T + 1_200);
    member.at(new Position(6, 4), T + 10_000).status = TrackStatus.LOST;
    linker.onLost(member);

    FakeTrack farAway = new FakeTrack("t2", T + 11_000, new Position(9, 6));
    FakeTrack nearby = new FakeTrack("t3", T + 11_000, new Position(6.8, 4.5));
    FakeTrack another = new FakeTrack("t4", T + 11_500, new Position(6.5, 4));

    assertThat(linker.onConfirmed(farAway, T + 11_200)).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(linker.onConfirmed(nearby, T + 11_200))
        .isEqualTo(new PartyLinker.Continued(new PartyLink(nearby.id(), party, T + 11_200), member.id()));
    assertThat(linker.admissionOf(nearby.id())).contains(party);
    assertThat(linker.onConfirmed(another, T + 11_700))
        .as("a lost track is continued once").isInstanceOf(PartyLinker.Unlinked.class);
  }

  @Test
  void aLostTrackOfNoPartyIsNotContinued() {
    FakeTrack stranger = new FakeTrack("t1", T, new Position(6, 4));
    linker.onConfirmed(stranger, T + 200);
    stranger.at(new Position(6, 4), T + 5_000).status = TrackStatus.LOST;
    linker.onLost(stranger);

    assertThat(linker.onConfirmed(new FakeTrack("t2", T + 5_500, new Position(6.2, 4)), T + 5_700))
        .isInstanceOf(PartyLinker.Unlinked.class);
  }

  @Test
  void anExitIsMatchedToTheNearestLinkedTrack() {
    Admission a = admission("c-a", T, 1);
    Admission b = admission("c-b", T + 100, 1);
    linker.admit(a);
    linker.admit(b);
    FakeTrack ta = new FakeTrack("ta", T + 1_000, AT_ENTRY);
    FakeTrack tb = new FakeTrack("tb", T + 1_100, AT_ENTRY);
    FakeTrack stranger = new FakeTrack("tu", T + 20_000, new Position(8, 5));
    linker.onConfirmed(ta, T + 1_200);
    linker.onConfirmed(tb, T + 1_300);
    linker.onConfirmed(stranger, T + 20_200);
    ta.at(new Position(8.5, 1.0), T + 30_000);
    tb.at(new Position(9.6, 0.4), T + 30_000);
    stranger.at(new Position(10, 0.1), T + 30_000);

    assertThat(linker.matchExit(exit, T + 30_000, List.of(ta, tb, stranger)))
        .contains(new PartyLink(tb.id(), b, T + 30_000));

    tb.status = TrackStatus.EXITED;
    assertThat(linker.matchExit(exit, T + 31_000, List.of(ta, tb, stranger)))
        .contains(new PartyLink(ta.id(), a, T + 31_000));
  }

  @Test
  void anExitFarFromEveryLinkedTrackIsUnmatched() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = new FakeTrack("t1", T + 1_000, AT_ENTRY);
    linker.onConfirmed(member, T + 1_200);
    member.at(new Position(5, 4), T + 9_000);

    assertThat(linker.matchExit(exit, T + 9_000, List.of(member))).isEmpty();
  }

  @Test
  void anExitNobodyVisibleMadeIsGivenToALostLinkedTrackThatCouldHaveReachedTheGate() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = new FakeTrack("t1", T + 1_000, AT_ENTRY);
    linker.onConfirmed(member, T + 1_200);
    member.at(new Position(8, 1), T + 9_000).status = TrackStatus.LOST;
    linker.onLost(member);

    assertThat(linker.matchExit(exit, T + 10_000, List.of(member))).contains(new PartyLink(member.id(), party,
        T + 10_000));
  }

  @Test
  void entryWindowsCloseWhenFullOrWhenTheirTimeHasPassed() {
    Admission pair = admission("c-pair", T, 2);
    Admission single = admission("c-single", T + 200, 1);
    linker.admit(pair);
    linker.admit(single);
    linker.onConfirmed(new FakeTrack("t1", T + 1_000, AT_ENTRY), T + 1_100);
    linker.onConfirmed(new FakeTrack("t2", T + 1_000, AT_ENTRY), T + 1_200);
    linker.onConfirmed(new FakeTrack("t3", T + 1_000, AT_ENTRY), T + 1_300);

    assertThat(linker.closeWindows(T + 2_000)).containsExactly(
        new EntryWindowClosed(pair, 2, T + 2_000), new EntryWindowClosed(single, 1, T + 2_000));

    Admission late = admission("c-late", T + 3_000, 3);
    linker.admit(late);
    linker.onConfirmed(new FakeTrack("t4", T + 4_000, AT_ENTRY), T + 4_100);
    assertThat(linker.closeWindows(T + 3_000 + 15_000)).isEmpty();
    assertThat(linker.closeWindows(T + 3_000 + 15_001)).containsExactly(new EntryWindowClosed(late, 1, T + 18_001));

    FakeTrack afterwards = new FakeTrack("t5", T + 18_500, AT_ENTRY);
    assertThat(linker.onConfirmed(afterwards, T + 18_600)).isInstanceOf(PartyLinker.Unlinked.class);
  }

  @Test
  void forgettingAVisitUnlinksItsTracks() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    TrackId member = new FakeTrack("t1", T + 1_000, AT_ENTRY).id();
    linker.onConfirmed(new FakeTrack("t1", T + 1_000, AT_ENTRY), T + 1_100);

    linker.forgetVisit(party);

    assertThat(linker.admissionOf(member)).isEmpty();
  }

  private static PartyLinker.Joined joined(FakeTrack track, Admission admission, long ts) {
    return new PartyLinker.Joined(new PartyLink(track.id(), admission, ts));
  }

  private static Admission admission(String credential, long ts, int party) {
    return Admission.from(new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), party, null));
  }
}
