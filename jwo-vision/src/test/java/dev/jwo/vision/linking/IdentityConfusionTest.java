package dev.jwo.vision.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityConfusionTest {
  static final long T = 1_764_410_400_000L;
  static final Admission ALICE = admission("c-alice", T);
  static final Admission BOB = admission("c-bob", T + 1_000);

  private final IdentityConfusion confusion = new IdentityConfusion(0.5);

  @Test
  void tracksOfTwoVisitsPassingCloseAreInDoubtFromThen() {
    Track a = track("t1", 5.0, 3.0);
    Track b = track("t2", 5.3, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);

    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 20_000);

    assertThat(confusion.inDoubt(a.id(), T + 20_000)).isTrue();
    assertThat(confusion.inDoubt(b.id(), T + 25_000)).isTrue();
    assertThat(confusion.inDoubt(a.id(), T + 19_999)).as("before they met").isFalse();
  }

  @Test
  void peopleAMetreApartAreNotConfusedAndPeopleStandingTogetherTendToEvenOdds() {
    FakeTrack a = new FakeTrack("t1", T, new Position(5.0, 3.0));
    FakeTrack b = new FakeTrack("t2", T, new Position(5.95, 3.0));
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);

    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 2_000);

    assertThat(confusion.visitsOf(a.id(), T + 2_000).get(ALICE.visitId())).isGreaterThan(IdentityConfusion.SURE);

    FakeTrack c = new FakeTrack("t3", T, new Position(5.0, 6.0));
    FakeTrack d = new FakeTrack("t4", T, new Position(5.1, 6.0));
    Admission carol = admission("c-carol", T + 2_000);
    Admission dave = admission("c-dave", T + 3_000);
    Map<TrackId, Admission> standing = Map.of(c.id(), carol, d.id(), dave);
    confusion.observe(List.of(c, d), id -> Optional.ofNullable(standing.get(id)), T + 5_000);
    Map<VisitId, Double> afterOneLook = confusion.visitsOf(c.id(), T + 5_000);
    for (long ts = T + 5_100; ts <= T + 15_000; ts += 100) {
      confusion.observe(List.of(c, d), id -> Optional.ofNullable(standing.get(id)), ts);
    }
    Map<VisitId, Double> afterTenSeconds = confusion.visitsOf(c.id(), T + 15_000);

    assertThat(afterOneLook.get(dave.visitId())).as("the other visit is named").isBetween(0.05, 0.5);
    assertThat(afterTenSeconds.get(carol.visitId())).isCloseTo(0.5, within(0.01));
    assertThat(afterTenSeconds.get(dave.visitId())).isCloseTo(0.5, within(0.01));
    assertThat(confusion.visitsOf(c.id(), T + 4_000)).as("before they met").containsEntry(carol.visitId(), 1.0);
  }

  @Test
  void aTrackThatMayContinueEitherOfTwoLostShoppersBelongsToBothVisitsByTheirWeights() {
    List<FakeTrack> aliceAndBob = aliceAndBobSixMetresApart();
    FakeTrack a = aliceAndBob.get(0);
    FakeTrack b = aliceAndBob.get(1);
    TrackId reborn = TrackId.of("t9");

    confusion.continued(a.id(), reborn);
    confusion.continuedAmong(reborn, Map.of(a.id(), 3.0, b.id(), 1.0), T + 5_000);

    double total = 4.0 + IdentityConfusion.SOMEONE_ELSE_WEIGHT;
    assertThat(confusion.visitsOf(reborn, T + 5_000).get(ALICE.visitId())).isCloseTo(3 / total, within(1e-9));
    assertThat(confusion.visitsOf(reborn, T + 5_000).get(BOB.visitId())).isCloseTo(1 / total, within(1e-9));
    assertThat(confusion.visitsOf(reborn, T + 4_000)).as("before it continued").containsEntry(ALICE.visitId(), 1.0);
  }

  @Test
  void aTrackThatContinuesAShopperLostLongAgoIsInDoubt_oneLostAMomentAgoIsNot() {
    List<FakeTrack> aliceAndBob = aliceAndBobSixMetresApart();
    FakeTrack a = aliceAndBob.get(0);
    FakeTrack b = aliceAndBob.get(1);
    TrackId soon = TrackId.of("t8");
    TrackId late = TrackId.of("t9");

    confusion.continued(a.id(), soon);
    confusion.continuedAmong(soon, Map.of(a.id(), 2.0), T + 2_000);
    confusion.continued(b.id(), late);
    confusion.continuedAmong(late, Map.of(b.id(), 0.003), T + 60_000);

    assertThat(confusion.inDoubt(soon, T + 2_000)).isFalse();
    assertThat(confusion.inDoubt(late, T + 60_000)).isTrue();
    assertThat(confusion.visitsOf(late, T + 60_000).get(BOB.visitId())).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void membersOfOneVisitAndPeopleApartAreNoDoubt() {
    Track a = track("t1", 5.0, 3.0);
    Track b = track("t2", 5.3, 3.0);
    Track c = track("t3", 7.0, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), ALICE, c.id(), BOB);

    confusion.observe(List.of(a, b, c), id -> Optional.ofNullable(links.get(id)), T + 20_000);

    assertThat(confusion.inDoubt(a.id(), T + 30_000)).isFalse();
    assertThat(confusion.inDoubt(b.id(), T + 30_000)).isFalse();
    assertThat(confusion.inDoubt(c.id(), T + 30_000)).isFalse();
  }

  @Test
  void aContinuingTrackInheritsTheDoubt() {
    Track a = track("t1", 5.0, 3.0);
    Track b = track("t2", 5.3, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);
    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 20_000);

    confusion.continued(a.id(), TrackId.of("t9"));

    assertThat(confusion.inDoubt(TrackId.of("t9"), T + 30_000)).isTrue();
  }

  @Test
  void coloursThatClearlyMatchTheTrackBeforeTheEncounterClearTheDoubt() {
    FakeTrack a = (FakeTrack) track("t1", 5.0, 3.0);
    FakeTrack b = (FakeTrack) track("t2", 5.3, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);
    redAndBlueMetAndParted(a, b, links);
    colours(a.id(), RED, T + 21_000);
    colours(b.id(), BLUE, T + 21_000);

    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 22_000);

    assertThat(confusion.inDoubt(a.id(), T + 25_000)).isFalse();
    assertThat(confusion.inDoubt(b.id(), T + 25_000)).isFalse();
  }

  @Test
  void swappedOrAmbiguousColoursOrNoColoursKeepTheDoubt() {
    FakeTrack a = (FakeTrack) track("t1", 5.0, 3.0);
    FakeTrack b = (FakeTrack) track("t2", 5.3, 3.0);
    FakeTrack c = (FakeTrack) track("t3", 9.0, 3.0);
    FakeTrack d = (FakeTrack) track("t4", 9.3, 3.0);
    Admission carol = admission("c-carol", T + 2_000);
    Admission dave = admission("c-dave", T + 3_000);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB, c.id(), carol, d.id(), dave);
    linkedApart(List.of(a, b, c, d), links);
    colours(a.id(), RED, T + 10_000);
    colours(b.id(), BLUE, T + 10_000);
    colours(c.id(), RED, T + 10_000);
    colours(d.id(), RED, T + 10_000);
    confusion.observe(List.of(a, b, c, d), id -> Optional.ofNullable(links.get(id)), T + 20_000);
    a.at(new Position(3.0, 3.0), T + 22_000);
    b.at(new Position(7.0, 1.0), T + 22_000);
    c.at(new Position(11.0, 3.0), T + 22_000);
    d.at(new Position(9.0, 6.0), T + 22_000);
    colours(a.id(), BLUE, T + 21_000);
    colours(c.id(), RED, T + 21_000);
    colours(d.id(), RED, T + 21_000);

    confusion.observe(List.of(a, b, c, d), id -> Optional.ofNullable(links.get(id)), T + 22_000);

    assertThat(confusion.inDoubt(a.id(), T + 25_000)).as("took on the other's colours").isTrue();
    assertThat(confusion.inDoubt(b.id(), T + 25_000)).as("no colours since").isTrue();
    assertThat(confusion.inDoubt(c.id(), T + 25_000)).as("both dressed alike").isTrue();
    assertThat(confusion.inDoubt(d.id(), T + 25_000)).isTrue();
  }

  @Test
  void tracksThatEachTookOnTheOthersColoursAreSwappedBack() {
    FakeTrack a = (FakeTrack) track("t1", 5.0, 3.0);
    FakeTrack b = (FakeTrack) track("t2", 5.3, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);
    redAndBlueMetAndParted(a, b, links);
    colours(a.id(), BLUE, T + 21_000);
    colours(b.id(), RED, T + 21_000);

    List<IdentityConfusion.Swap> swaps =
        confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 22_000);

    assertThat(swaps).containsExactly(new IdentityConfusion.Swap(a.id(), b.id(), T + 22_000));
    assertThat(confusion.inDoubt(a.id(), T + 25_000)).isFalse();
    assertThat(confusion.inDoubt(b.id(), T + 25_000)).isFalse();
    // From now on a follows the person in blue: its reference is blue, so blue keeps it clear after a next meeting.
    Map<TrackId, Admission> swapped = Map.of(a.id(), BOB, b.id(), ALICE);
    a.at(new Position(5.0, 3.0), T + 30_000);
    b.at(new Position(5.3, 3.0), T + 30_000);
    confusion.observe(List.of(a, b), id -> Optional.ofNullable(swapped.get(id)), T + 30_000);
    a.at(new Position(3.0, 3.0), T + 32_000);
    b.at(new Position(7.0, 3.0), T + 32_000);
    colours(a.id(), BLUE, T + 31_000);
    colours(b.id(), RED, T + 31_000);
    assertThat(confusion.observe(List.of(a, b), id -> Optional.ofNullable(swapped.get(id)), T + 32_000)).isEmpty();
    assertThat(confusion.inDoubt(a.id(), T + 33_000)).isFalse();
  }

  @Test
  void oneTrackLookingLikeTheOtherIsNotEnoughToSwap() {
    FakeTrack a = (FakeTrack) track("t1", 5.0, 3.0);
    FakeTrack b = (FakeTrack) track("t2", 5.3, 3.0);
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);
    redAndBlueMetAndParted(a, b, links);
    colours(a.id(), BLUE, T + 21_000);

    assertThat(confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 22_000)).isEmpty();
    assertThat(confusion.inDoubt(a.id(), T + 25_000)).isTrue();
  }

  /** Alice's track t1 at (2, 3) and Bob's t2 at (8, 3), linked and looked at once, at T + 1 s. */
  private List<FakeTrack> aliceAndBobSixMetresApart() {
    FakeTrack a = new FakeTrack("t1", T, new Position(2.0, 3.0));
    FakeTrack b = new FakeTrack("t2", T, new Position(8.0, 3.0));
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB);
    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 1_000);
    return List.of(a, b);
  }

  /**
   * Red {@code a} and blue {@code b}, linked while apart, meet at T + 20 s (0.3 m apart) and have parted by
   * T + 22 s, before any colours are seen after the meeting.
   */
  private void redAndBlueMetAndParted(FakeTrack a, FakeTrack b, Map<TrackId, Admission> links) {
    linkedApart(List.of(a, b), links);
    colours(a.id(), RED, T + 10_000);
    colours(b.id(), BLUE, T + 10_000);
    confusion.observe(List.of(a, b), id -> Optional.ofNullable(links.get(id)), T + 20_000);
    a.at(new Position(3.0, 3.0), T + 22_000);
    b.at(new Position(7.0, 3.0), T + 22_000);
  }

  /**
   * The tracks are first looked at while far apart (4 m between neighbours), so that their beliefs start certain
   * and the colours seen next are their visits' references; then they are back where they were.
   */
  private void linkedApart(List<FakeTrack> tracks, Map<TrackId, Admission> links) {
    List<Position> were = tracks.stream().map(FakeTrack::position).toList();
    for (int i = 0; i < tracks.size(); i++) {
      tracks.get(i).at(new Position(1.0 + 4.0 * i, 1.0), T + 5_000);
    }
    confusion.observe(List.copyOf(tracks), id -> Optional.ofNullable(links.get(id)), T + 5_000);
    for (int i = 0; i < tracks.size(); i++) {
      tracks.get(i).at(were.get(i), T + 19_000);
    }
  }

  static final double[] RED = {0.5, 0.1, 0.1, 0.05, 0.05, 0.05, 0.1, 0.05};
  static final double[] BLUE = {0.05, 0.1, 0.05, 0.5, 0.1, 0.05, 0.05, 0.1};

  private void colours(TrackId track, double[] colour, long ts) {
    for (int i = 0; i < IdentityConfusion.MIN_SAMPLES; i++) {
      confusion.clothingColour(track, FeatureVector.of(colour.clone()), ts + i * 100L);
    }
  }

  private static Admission admission(String credential, long ts) {
    Credential c = Credential.of(credential);
    return new Admission(Admission.visitIdFor(GateId.of("in-1"), ts), ts, GateId.of("in-1"), c, 1, null);
  }

  private static Track track(String id, double x, double y) {
    return new FakeTrack(id, T, new Position(x, y));
  }
}
