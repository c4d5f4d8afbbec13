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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Linking with {@link LinkerSettings#DEFAULTS}: tracks that appear within 0.7 m of the entry's line (the floor's
 * front edge, y = 0, at the gate at x = 2) and walk in, up to 15 s after the scan, join the party; exits match
 * within 3 m; lost tracks are continued within 1 m plus 1.6 m/s.
 */
class PartyLinkerTest {
  static final long T = 1_764_410_400_000L;
  static final Position AT_LINE = new Position(2, 0.2);

  private final StoreLayout layout = TestLayouts.store();
  private final Gate exit = layout.gate(GateId.of("out-1")).orElseThrow();
  private final PartyLinker linker = new PartyLinker(layout, LinkerSettings.DEFAULTS);

  @Test
  void tracksBornAtTheEntryAfterTheScanJoinTheParty_upToItsSize() {
    Admission party = admission("c-1", T, 2);
    linker.admit(party);

    FakeTrack first = entering("t1", T + 1_000);
    FakeTrack second = entering("t2", T + 1_500);
    FakeTrack third = entering("t3", T + 2_000);

    assertThat(linker.onConfirmed(first, T + 1_200)).isEqualTo(joined(first, party, T + 1_200));
    assertThat(linker.onConfirmed(second, T + 1_700)).isEqualTo(joined(second, party, T + 1_700));
    assertThat(linker.onConfirmed(third, T + 2_200)).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(linker.admissionOf(first.id())).contains(party);
    assertThat(linker.admissionOf(third.id())).isEmpty();
  }

  @Test
  void crossingsGoToTheAdmissionsAtTheSameGateInScanOrder() {
    Admission a = admission("c-a", T, 1);
    Admission b = admission("c-b", T + 500, 1);
    linker.admit(a);
    linker.admit(b);

    FakeTrack x = entering("tx", T + 1_000);
    FakeTrack y = entering("ty", T + 1_100);

    assertThat(linker.onConfirmed(x, T + 1_300)).isEqualTo(joined(x, a, T + 1_300));
    assertThat(linker.onConfirmed(y, T + 1_400)).isEqualTo(joined(y, b, T + 1_400));
  }

  @Test
  void aCrossingRightAfterAScanJoinsThatParty_notAnEarlierOneWhoseMemberTheCamerasMissed() {
    Admission missed = admission("c-a", T, 1);
    Admission next = admission("c-b", T + 9_000, 1);
    linker.admit(missed);
    linker.admit(next);

    // c-a's shopper came through at T + 1 s unseen; the next crossing is c-b's, a second after its scan.
    FakeTrack x = entering("tx", T + 10_000);

    assertThat(linker.onConfirmed(x, T + 10_200)).isEqualTo(joined(x, next, T + 10_200));
    assertThat(linker.entryRivals(x.id())).as("c-a's shopper was 8 s overdue: not a likely rival").isEmpty();
    assertThat(linker.admissionOf(x.id())).contains(next);
  }

  @Test
  void aTrackThatTwoAdmittingPartiesCouldHaveClaimedNamesTheOtherAsARival() {
    Admission a = admission("c-a", T, 2);
    Admission b = admission("c-b", T + 500, 1);
    linker.admit(a);
    linker.admit(b);

    FakeTrack x = entering("tx", T + 1_000);
    linker.onConfirmed(x, T + 1_300);
    FakeTrack y = entering("ty", T + 1_100);
    linker.onConfirmed(y, T + 1_400);
    FakeTrack z = entering("tz", T + 1_200);
    linker.onConfirmed(z, T + 1_500);

    assertThat(linker.entryRivals(x.id())).containsExactly(b);
    assertThat(linker.entryRivals(y.id())).containsExactly(b);
    assertThat(linker.entryRivals(z.id())).as("only one party was left to claim it").isEmpty();
    assertThat(linker.admissionOf(z.id())).contains(b);
  }

  @Test
  void aTrackThatCameInBeforeTheScanDoesNotJoinTheParty() {
    FakeTrack early = entering("t1", T - 1_000);
    assertThat(linker.onConfirmed(early, T - 400)).isInstanceOf(PartyLinker.Unlinked.class);

    Admission party = admission("c-1", T, 3);
    linker.admit(party);

    assertThat(linker.decideAtGates(T + 500)).isEmpty();
    assertThat(linker.admissionOf(early.id())).isEmpty();
  }

  @Test
  void aTrackAtTheLineJoinsOnceItHasWalkedIn() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = new FakeTrack("t1", T + 1_000, new Position(2.1, 0.2));

    assertThat(linker.onConfirmed(member, T + 1_200)).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(linker.decideAtGates(T + 1_300)).as("still at the line").isEmpty();
    member.at(new Position(2.2, 0.8), T + 1_700);

    assertThat(linker.decideAtGates(T + 1_700)).containsExactly(joined(member, party, T + 1_700));
  }

  @Test
  void aTrackRebornNearTheGateContinuesALostShopperInsteadOfJoiningAnAdmittingParty() {
    Admission inside = admission("c-1", T, 1);
    linker.admit(inside);
    FakeTrack shopper = entering("t1", T + 1_000);
    linker.onConfirmed(shopper, T + 1_600);
    shopper.at(new Position(2.5, 1.3), T + 30_000).status = TrackStatus.LOST;
    linker.onLost(shopper);
    Admission arriving = admission("c-2", T + 30_500, 1);
    linker.admit(arriving);

    FakeTrack reborn = new FakeTrack("t2", T + 31_000, new Position(2.4, 1.1));

    assertThat(linker.onConfirmed(reborn, T + 31_300))
        .usingRecursiveComparison().ignoringFields("candidates").isEqualTo(new PartyLinker.Continued(new PartyLink(reborn.id(), inside, T + 31_300), shopper.id()));
    assertThat(linker.entryRivals(reborn.id())).as("it could have been the newcomer").containsExactly(arriving);
    FakeTrack newcomer = entering("t3", T + 31_500);
    assertThat(linker.onConfirmed(newcomer, T + 32_100)).isEqualTo(joined(newcomer, arriving, T + 32_100));
  }

  @Test
  void aCrossingDressedLikeALostShopperStandingThereContinuesThem() {
    PartyLinker withColours = new PartyLinker(layout, LinkerSettings.DEFAULTS,
        (a, b) -> a.value().equals("t2") && b.value().equals("t1") ? Optional.of(0.97) : Optional.of(0.3));
    Admission inside = admission("c-1", T, 1);
    withColours.admit(inside);
    FakeTrack shopper = entering("t1", T + 1_000);
    withColours.onConfirmed(shopper, T + 1_600);
    shopper.at(new Position(2.2, 0.3), T + 30_000).status = TrackStatus.LOST;
    withColours.onLost(shopper);
    Admission arriving = admission("c-2", T + 30_500, 1);
    withColours.admit(arriving);

    FakeTrack same = entering("t2", T + 31_000);

    assertThat(withColours.onConfirmed(same, T + 31_600))
        .usingRecursiveComparison().ignoringFields("candidates").isEqualTo(new PartyLinker.Continued(new PartyLink(same.id(), inside, T + 31_600), shopper.id()));
    assertThat(withColours.admissionOf(same.id())).contains(inside);
  }

  @Test
  void aTrackBornOnAFalseDetectionAwayFromTheEntryJoinsThePartyWhenItsPersonIsThenSeenCrossingTheLine() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    // A reflection far inside starts the track; the shopper's own detections at the gate then continue it.
    FakeTrack member = new FakeTrack("t1", T + 50, new Position(6, 4));
    member.at(AT_LINE, T + 700).at(new Position(2, 1.1), T + 1_200);

    assertThat(linker.onConfirmed(member, T + 1_200)).isEqualTo(joined(member, party, T + 1_200));
  }

  @Test
  void aTrackBornAwayFromTheEntryDoesNotTakeAPlaceInTheParty() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);

    assertThat(linker.onConfirmed(new FakeTrack("t1", T + 1_000, new Position(6, 4)), T + 1_200))
        .isInstanceOf(PartyLinker.Unlinked.class);
    FakeTrack member = entering("t2", T + 2_000);
    assertThat(linker.onConfirmed(member, T + 2_200)).isEqualTo(joined(member, party, T + 2_200));
  }

  @Test
  void aNewTrackBornNearALostLinkedTrackContinuesIt() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = entering("t1", T + 1_000);
    linker.onConfirmed(member, T + 1_200);
    member.at(new Position(6, 4), T + 10_000).status = TrackStatus.LOST;
    linker.onLost(member);

    FakeTrack farAway = new FakeTrack("t2", T + 11_000, new Position(9, 6));
    FakeTrack nearby = new FakeTrack("t3", T + 11_000, new Position(6.8, 4.5));
    FakeTrack another = new FakeTrack("t4", T + 11_500, new Position(6.5, 4));

    assertThat(linker.onConfirmed(farAway, T + 11_200)).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(linker.onConfirmed(nearby, T + 11_200))
        .usingRecursiveComparison().ignoringFields("candidates").isEqualTo(new PartyLinker.Continued(new PartyLink(nearby.id(), party, T + 11_200), member.id()));
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
    FakeTrack ta = entering("ta", T + 1_000);
    FakeTrack tb = entering("tb", T + 1_100);
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
    stranger.at(new Position(9.0, 1.5), T + 31_000);
    assertThat(linker.matchExit(exit, T + 31_000, List.of(ta, tb, stranger)))
        .as("a stranger about as far from the gate does not stop the linked track's match")
        .contains(new PartyLink(ta.id(), a, T + 31_000));
  }

  @Test
  void anExitMadeByAStrangerClearlyNearerTheGateDoesNotEndTheVisitOfTheShopperBehindThem() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = entering("t1", T + 1_000);
    linker.onConfirmed(member, T + 1_200);
    FakeTrack stranger = new FakeTrack("tu", T + 20_000, new Position(8, 5));
    linker.onConfirmed(stranger, T + 20_200);
    member.at(new Position(8.5, 1.5), T + 30_000);
    stranger.at(new Position(10, 0.2), T + 30_000);

    assertThat(linker.matchExit(exit, T + 30_000, List.of(member, stranger))).isEmpty();
    assertThat(linker.admissionOf(member.id())).contains(party);
  }

  @Test
  void anExitFarFromEveryLinkedTrackIsUnmatched() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = entering("t1", T + 1_000);
    linker.onConfirmed(member, T + 1_200);
    member.at(new Position(5, 4), T + 9_000);

    assertThat(linker.matchExit(exit, T + 9_000, List.of(member))).isEmpty();
  }

  @Test
  void anExitNobodyVisibleMadeIsGivenToALostLinkedTrackThatCouldHaveReachedTheGate() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    FakeTrack member = entering("t1", T + 1_000);
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
    linker.onConfirmed(entering("t1", T + 1_000), T + 1_100);
    linker.onConfirmed(entering("t2", T + 1_000), T + 1_200);
    linker.onConfirmed(entering("t3", T + 1_000), T + 1_300);

    assertThat(linker.closeWindows(T + 2_000)).containsExactly(
        new EntryWindowClosed(pair, 2, T + 2_000), new EntryWindowClosed(single, 1, T + 2_000));

    Admission late = admission("c-late", T + 3_000, 3);
    linker.admit(late);
    linker.onConfirmed(entering("t4", T + 4_000), T + 4_100);
    assertThat(linker.closeWindows(T + 3_000 + 15_000)).isEmpty();
    assertThat(linker.closeWindows(T + 3_000 + 15_001)).containsExactly(new EntryWindowClosed(late, 1, T + 18_001));

    FakeTrack afterwards = entering("t5", T + 18_500);
    assertThat(linker.onConfirmed(afterwards, T + 18_600)).isInstanceOf(PartyLinker.Unlinked.class);
  }

  @Test
  void forgettingAVisitUnlinksItsTracks() {
    Admission party = admission("c-1", T, 1);
    linker.admit(party);
    TrackId member = entering("t1", T + 1_000).id();
    linker.onConfirmed(entering("t1", T + 1_000), T + 1_100);

    linker.forgetVisit(party);

    assertThat(linker.admissionOf(member)).isEmpty();
  }

  private static PartyLinker.Joined joined(FakeTrack track, Admission admission, long ts) {
    return new PartyLinker.Joined(new PartyLink(track.id(), admission, ts));
  }

  private static Admission admission(String credential, long ts, int party) {
    return Admission.from(new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), party, null));
  }

  /** A track that appeared at the entry's line at {@code bornTs} and was 0.9 m inside half a second later. */
  private static FakeTrack entering(String id, long bornTs) {
    return new FakeTrack(id, bornTs, AT_LINE).at(new Position(2, 1.1), bornTs + 500);
  }
}
