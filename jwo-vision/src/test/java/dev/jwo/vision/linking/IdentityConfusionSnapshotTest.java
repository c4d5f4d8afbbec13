package dev.jwo.vision.linking;

import static dev.jwo.vision.linking.IdentityConfusionTest.ALICE;
import static dev.jwo.vision.linking.IdentityConfusionTest.BLUE;
import static dev.jwo.vision.linking.IdentityConfusionTest.BOB;
import static dev.jwo.vision.linking.IdentityConfusionTest.RED;
import static dev.jwo.vision.linking.IdentityConfusionTest.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Beliefs restored from a snapshot go on exactly as the ones they were taken from: two shoppers of different visits
 * who walk together (their beliefs mixed), part wearing each other's colours (swapped back), and a third who
 * continues a lost one.
 */
class IdentityConfusionSnapshotTest {
  private static final double METRES = 1.0;

  @Test
  void restoredBeliefsGoOnAsTheOnesTheyWereTakenFrom() {
    FakeTrack a = new FakeTrack("t1", T, new Position(5.0, 3.0));
    FakeTrack b = new FakeTrack("t2", T, new Position(5.3, 3.0));
    Map<TrackId, Admission> links = Map.of(a.id(), ALICE, b.id(), BOB, TrackId.of("t3"), ALICE);
    IdentityConfusion original = new IdentityConfusion(METRES);
    for (int i = 0; i < 100; i++) {
      step(original, a, b, links, i);
    }
    IdentityConfusion restored = new IdentityConfusion(METRES);
    restored.restore(original.export());
    assertThat(restored.export()).isEqualTo(original.export());
    assertThat(original.export().getTracksList()).hasSize(2)
        .allSatisfy(t -> assertThat(t.getSegmentsCount()).isGreaterThan(1));

    List<Object> seen = new ArrayList<>();
    List<Object> seenRestored = new ArrayList<>();
    for (int i = 100; i < 250; i++) {
      // The tracks are the tracker's: both are given the same ones.
      seen.add(step(original, a, b, links, i));
      seenRestored.add(step(restored, a, b, links, i));
      if (i == 200) {
        original.continued(a.id(), TrackId.of("t3"));
        restored.continued(a.id(), TrackId.of("t3"));
        original.continuedAmong(TrackId.of("t3"), Map.of(a.id(), 1.0, b.id(), 0.4), T + 100L * i);
        restored.continuedAmong(TrackId.of("t3"), Map.of(a.id(), 1.0, b.id(), 0.4), T + 100L * i);
      }
      for (TrackId track : List.of(a.id(), b.id(), TrackId.of("t3"))) {
        for (long at : new long[] {T, T + 5_000, T + 100L * i}) {
          seen.add(List.of(original.visitsOf(track, at), original.inDoubt(track, at)));
          seenRestored.add(List.of(restored.visitsOf(track, at), restored.inDoubt(track, at)));
        }
        seen.add(List.of(original.doubtfulSince(track), original.metSinceDoubt(track)));
        seenRestored.add(List.of(restored.doubtfulSince(track), restored.metSinceDoubt(track)));
      }
    }
    assertThat(seenRestored).isEqualTo(seen);
    assertThat(restored.export()).isEqualTo(original.export());
  }

  /**
   * A tenth of a second: together for ten seconds (red and blue), then apart, each in the other's colours for a
   * while, then a and b together again.
   */
  private static List<IdentityConfusion.Swap> step(IdentityConfusion confusion, FakeTrack a, FakeTrack b,
      Map<TrackId, Admission> links, int i) {
    long ts = T + 100L * i;
    boolean together = i < 100 || i > 180;
    a.at(new Position(5.0 + 0.01 * (i % 50), 3.0), ts);
    b.at(new Position(together ? 5.3 + 0.01 * (i % 50) : 8.0, together ? 3.0 : 6.0), ts);
    boolean swappedColours = i > 120 && i < 170;
    confusion.clothingColour(a.id(), FeatureVector.of(swappedColours ? BLUE : RED), ts);
    confusion.clothingColour(b.id(), FeatureVector.of(swappedColours ? RED : BLUE), ts);
    List<Track> tracks = List.of(a, b);
    return confusion.observe(tracks, id -> Optional.ofNullable(links.get(id)), ts);
  }
}
