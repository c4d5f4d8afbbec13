package dev.jwo.vision.linking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.TestLayouts;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tailgating signal: a track crossing the entry line when no admitted party has a place left for it, and that
 * continues nobody already inside, is told to the linker's listeners once, with the party it came in behind.
 */
class UnadmittedEntryTest {
  static final long T = 1_764_410_400_000L;
  static final Position AT_LINE = new Position(2, 0.2);

  private final PartyLinker linker = new PartyLinker(TestLayouts.store(), LinkerSettings.DEFAULTS);
  private final List<UnadmittedEntry> told = new ArrayList<>();

  UnadmittedEntryTest() {
    linker.addUnadmittedEntryListener(told::add);
  }

  @Test
  void aCrossingBeyondTheAdmittedPartySizeIsReportedWithThePartyItFollowed() {
    Admission pair = admission("c-1", T, 2);
    linker.admit(pair);

    linker.onConfirmed(entering("t1", T + 1_000), T + 1_600);
    linker.onConfirmed(entering("t2", T + 1_400), T + 2_000);
    FakeTrack third = entering("t3", T + 1_800);
    PartyLinker.Outcome outcome = linker.onConfirmed(third, T + 2_400);
    linker.decideAtGates(T + 3_000);
    linker.closeWindows(T + 3_000);
    linker.decideAtGates(T + 9_000);

    assertThat(outcome).isInstanceOf(PartyLinker.Unlinked.class);
    assertThat(told).containsExactly(new UnadmittedEntry(GateId.of("in-1"), TrackId.of("t3"), T + 1_800, pair));
  }

  @Test
  void aCrossingWithNobodyAdmittedIsReportedWithoutAParty() {
    linker.onConfirmed(entering("t1", T + 1_000), T + 1_600);

    assertThat(told).singleElement().satisfies(e -> {
      assertThat(e.track()).isEqualTo(TrackId.of("t1"));
      assertThat(e.behind()).isNull();
    });
  }

  @Test
  void aCrossingIsReportedOnce_evenWhenItsTrackIsLostAndFoundAgain() {
    FakeTrack stranger = entering("t1", T + 1_000);
    linker.onConfirmed(stranger, T + 1_600);
    stranger.status = TrackStatus.LOST;
    linker.onLost(stranger);
    stranger.status = TrackStatus.CONFIRMED;
    linker.onFound(stranger);
    linker.onConfirmed(stranger, T + 5_000);

    assertThat(told).singleElement().satisfies(e -> assertThat(e.track()).isEqualTo(TrackId.of("t1")));
  }

  @Test
  void membersOfAdmittedPartiesAndShoppersFoundAgainAtTheGateAreNotReported() {
    Admission inside = admission("c-1", T, 1);
    linker.admit(inside);
    FakeTrack shopper = entering("t1", T + 1_000);
    linker.onConfirmed(shopper, T + 1_600);
    shopper.at(new Position(2.2, 0.9), T + 30_000).status = TrackStatus.LOST;
    linker.onLost(shopper);
    // the same shopper's track reborn at the line, walking in: continues the lost one, nobody came in
    FakeTrack reborn = entering("t2", T + 30_400);
    PartyLinker.Outcome again = linker.onConfirmed(reborn, T + 31_000);
    // someone at the line who never walks in is decided without a crossing
    FakeTrack loiterer = new FakeTrack("t3", T + 40_000, AT_LINE);
    linker.onConfirmed(loiterer, T + 40_200);
    linker.decideAtGates(T + 44_000);

    assertThat(again).isInstanceOf(PartyLinker.Continued.class);
    assertThat(told).isEmpty();
  }

  @Test
  void aLateCrossingAfterThePartysWindowClosedStillNamesItWhileTheWindowCoveredIt() {
    Admission single = admission("c-1", T, 1);
    linker.admit(single);
    linker.onConfirmed(entering("t1", T + 1_000), T + 1_600);
    linker.closeWindows(T + 1_600);

    linker.onConfirmed(entering("t2", T + 5_000), T + 5_600);
    linker.onConfirmed(entering("t3", T + LinkerSettings.DEFAULTS.admissionWindowMillis() + 1_000),
        T + LinkerSettings.DEFAULTS.admissionWindowMillis() + 1_600);

    assertThat(told).extracting(UnadmittedEntry::track, UnadmittedEntry::behind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(TrackId.of("t2"), single),
            org.assertj.core.groups.Tuple.tuple(TrackId.of("t3"), null));
  }

  @Test
  void aMemberWhosePlaceADuplicateTrackTookIsGivenThePlaceOnceTheDuplicateIsMerged() {
    Admission earlier = admission("c-1", T, 1);
    Admission pair = admission("c-2", T + 4_000, 2);
    linker.admit(earlier);
    linker.onConfirmed(entering("t1", T + 1_000), T + 1_600);
    linker.admit(pair);
    // a second track on the earlier party's shopper, seen as a newcomer of the pair, takes one of its places
    linker.onConfirmed(new FakeTrack("t1b", T + 4_300, new Position(2.6, 2.0)), T + 4_500);
    linker.onConfirmed(entering("t2", T + 5_000), T + 5_600);
    linker.onMerged(TrackId.of("t1b"), TrackId.of("t1"));
    // the pair's second member finds every place taken
    linker.onConfirmed(entering("t3", T + 6_500), T + 7_100);

    assertThat(linker.admissionOf(TrackId.of("t1b"))).isEmpty();
    assertThat(told).singleElement().satisfies(e -> assertThat(e.track()).isEqualTo(TrackId.of("t3")));
    assertThat(linker.takeVacatedPlace(told.get(0), T + 11_500))
        .contains(new PartyLink(TrackId.of("t3"), pair, T + 11_500));
    assertThat(linker.admissionOf(TrackId.of("t3"))).contains(pair);
    // the place is given once: another person coming in behind the pair is unadmitted
    linker.onConfirmed(entering("t4", T + 8_000), T + 8_600);
    assertThat(told).hasSize(2);
    assertThat(linker.takeVacatedPlace(told.get(1), T + 13_000)).isEmpty();
  }

  @Test
  void noPlaceIsVacatedWhenTheMergedTrackTookNone() {
    Admission single = admission("c-1", T, 1);
    linker.admit(single);
    FakeTrack shopper = entering("t1", T + 1_000);
    linker.onConfirmed(shopper, T + 1_600);
    shopper.at(new Position(2.2, 3.0), T + 4_000).status = TrackStatus.LOST;
    linker.onLost(shopper);
    // the shopper found again on a new track (a continuation holds no place), then seen twice and merged
    FakeTrack again = new FakeTrack("t2", T + 4_500, new Position(2.3, 3.2));
    assertThat(linker.onConfirmed(again, T + 5_000)).isInstanceOf(PartyLinker.Continued.class);
    shopper.status = TrackStatus.CONFIRMED;
    linker.onFound(shopper);
    linker.onMerged(TrackId.of("t2"), TrackId.of("t1"));
    // a person walking in behind the single shopper within its window
    linker.onConfirmed(entering("t3", T + 6_000), T + 6_600);

    assertThat(told).singleElement().satisfies(e -> assertThat(e.behind()).isEqualTo(single));
    assertThat(linker.takeVacatedPlace(told.get(0), T + 11_000)).isEmpty();
  }

  @Test
  void aVacatedPlaceOutsideTheCrossingsEntryWindowExplainsNothing() {
    Admission pair = admission("c-1", T, 2);
    linker.admit(pair);
    linker.onConfirmed(entering("t1", T + 1_000), T + 1_600);
    linker.onConfirmed(entering("t1b", T + 1_200), T + 1_800);
    linker.onMerged(TrackId.of("t1b"), TrackId.of("t1"));
    linker.closeWindows(T + 2_000);
    long late = T + LinkerSettings.DEFAULTS.admissionWindowMillis() + 1_000;
    linker.onConfirmed(entering("t2", late), late + 600);

    assertThat(told).singleElement().satisfies(e -> assertThat(e.behind()).isNull());
    assertThat(linker.takeVacatedPlace(told.get(0), late + 5_000)).isEmpty();
  }

  private static Admission admission(String credential, long ts, int party) {
    return Admission.from(new EntryEvent(ts, GateId.of("in-1"), Credential.of(credential), party, null));
  }

  /** A track that appeared at the entry's line at {@code bornTs} and was 0.9 m inside half a second later. */
  private static FakeTrack entering(String id, long bornTs) {
    return new FakeTrack(id, bornTs, AT_LINE).at(new Position(2, 1.1), bornTs + 500);
  }
}
