package dev.jwo.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwo.core.ingest.SequenceWindow.Standing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceWindowTest {
  @Test
  void tellsNewMissingTakenAndTooOldApart() {
    SequenceWindow window = SequenceWindow.startingAt(64, 100);
    window.mark(98);

    assertThat(window.standing(101)).isEqualTo(Standing.ABOVE);
    assertThat(window.standing(100)).isEqualTo(Standing.TAKEN);
    assertThat(window.standing(99)).isEqualTo(Standing.MISSING);
    assertThat(window.standing(98)).isEqualTo(Standing.TAKEN);
    assertThat(window.standing(37)).as("the window's lowest").isEqualTo(Standing.MISSING);
    assertThat(window.standing(36)).isEqualTo(Standing.BELOW);
  }

  @Test
  void movingUpForgetsWhatFallsOutAndClearsTheNewSlots() {
    SequenceWindow window = SequenceWindow.startingAt(64, 10);
    window.mark(74);

    assertThat(window.standing(10)).isEqualTo(Standing.BELOW);
    assertThat(window.standing(74 - 64 + 1)).as("same slot as 75 - 64 before").isEqualTo(Standing.MISSING);
    assertThat(window.standing(73)).isEqualTo(Standing.MISSING);
    window.mark(10_000);
    assertThat(window.standing(74)).isEqualTo(Standing.BELOW);
    assertThat(window.standing(9_999)).isEqualTo(Standing.MISSING);
  }

  @Test
  void marksInAnyOrderGiveTheSameWindowAndSurviveACheckpoint() {
    List<Long> sequences = new ArrayList<>();
    for (long s = 1; s <= 300; s++) {
      if (s % 7 != 0) {
        sequences.add(s);
      }
    }
    SequenceWindow inOrder = replay(sequences);
    Collections.shuffle(sequences, new Random(42));
    SequenceWindow shuffled = replay(sequences);
    SequenceWindow restored = SequenceWindow.fromProto(128, shuffled.toProto());

    for (long s = 1; s <= 310; s++) {
      assertThat(shuffled.standing(s)).as("sequence %s", s).isEqualTo(inOrder.standing(s));
      assertThat(restored.standing(s)).as("sequence %s restored", s).isEqualTo(inOrder.standing(s));
    }
    assertThat(inOrder.standing(294)).isEqualTo(Standing.MISSING);
    assertThat(inOrder.standing(172)).isEqualTo(Standing.BELOW);
  }

  @Test
  void aSourceTakenInOrderCostsAFewBytesInACheckpoint() {
    SequenceWindow window = SequenceWindow.startingAt(4_096, 1);
    for (long s = 2; s <= 10_000; s++) {
      window.mark(s);
    }
    assertThat(window.toProto().getSerializedSize()).isLessThan(10);
    assertThat(SequenceWindow.fromProto(4_096, window.toProto()).standing(10_000 - 4_095)).isEqualTo(Standing.TAKEN);
  }

  @Test
  void anEarlierReleasesCheckpointCountsEverythingUpToTheLastAsTaken() {
    SequenceWindow window = SequenceWindow.allTakenUpTo(64, 500);
    assertThat(window.standing(499)).isEqualTo(Standing.TAKEN);
    assertThat(window.standing(501)).isEqualTo(Standing.ABOVE);
  }

  @Test
  void theSizeIsAPowerOfTwoOfAtLeast64() {
    assertThatThrownBy(() -> SequenceWindow.startingAt(100, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SequenceWindow.startingAt(32, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static SequenceWindow replay(List<Long> sequences) {
    SequenceWindow window = SequenceWindow.startingAt(128, sequences.get(0));
    for (long s : sequences.subList(1, sequences.size())) {
      window.mark(s);
    }
    return window;
  }
}
