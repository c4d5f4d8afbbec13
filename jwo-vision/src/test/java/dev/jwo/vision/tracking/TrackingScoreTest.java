package dev.jwo.vision.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Position;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackingScoreTest {
  private final TrackingScore score = new TrackingScore(1.0);

  private static TrackingScore.Located at(String id, double x) {
    return new TrackingScore.Located(id, new Position(x, 0));
  }

  @Test
  void aTrackerThatFollowsEveryoneScoresOne() {
    for (int f = 0; f < 5; f++) {
      score.frame(List.of(at("a", f), at("b", 10 + f)), List.of(at("t1", f + 0.1), at("t2", 10 + f - 0.1)));
    }

    TrackingScore.Result result = score.result();
    assertThat(result.mota()).isEqualTo(1.0);
    assertThat(result.idf1()).isEqualTo(1.0);
    assertThat(result.switches()).isZero();
  }

  @Test
  void aSwapCountsTwoSwitchesAndCostsIdentityForTheFramesAfterIt() {
    // Four frames; after the second, the tracks of a and b swap.
    for (int f = 0; f < 4; f++) {
      boolean swapped = f >= 2;
      score.frame(List.of(at("a", 0), at("b", 5)),
          List.of(at(swapped ? "t2" : "t1", 0), at(swapped ? "t1" : "t2", 5)));
    }

    TrackingScore.Result result = score.result();
    assertThat(result.switches()).isEqualTo(2);
    assertThat(result.misses()).isZero();
    assertThat(result.falsePositives()).isZero();
    assertThat(result.mota()).isEqualTo(1 - 2 / 8.0);
    // The best one-to-one matching keeps a-t1 and b-t2 for two frames each: IDTP 4 of 8 objects and 8 reports.
    assertThat(result.idf1()).isEqualTo(2 * 4 / 16.0);
  }

  @Test
  void missesAndFalsePositivesAreOutsideTheMatchDistance() {
    score.frame(List.of(at("a", 0)), List.of(at("t1", 1.5)));
    score.frame(List.of(at("a", 0)), List.of());

    TrackingScore.Result result = score.result();
    assertThat(result.misses()).isEqualTo(2);
    assertThat(result.falsePositives()).isEqualTo(1);
    assertThat(result.mota()).isEqualTo(1 - 3 / 2.0);
    assertThat(result.idf1()).isZero();
  }
}
