package dev.jwo.vision.tracking;

import static dev.jwo.vision.tracking.KalmanTrackerTest.SETTINGS;
import static dev.jwo.vision.tracking.KalmanTrackerTest.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import dev.jwo.vision.v1.KalmanTrackerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tracker restored from its snapshot state goes on exactly as the one it was taken from: same assignments, same
 * changes, same tracks; and the state keeps no biometric appearance.
 */
class KalmanTrackerSnapshotTest {
  /** The tracker needs no admissions: a seal that must not be used. */
  private static final SnapshotSeal NO_SEAL = new SnapshotSeal() {
    @Override
    public AdmissionState seal(Admission admission) {
      throw new AssertionError("the tracker keeps no admission");
    }

    @Override
    public Admission open(AdmissionState sealed) {
      throw new AssertionError("the tracker keeps no admission");
    }
  };

  @Test
  void aRestoredTrackerGoesOnAsTheOneItWasTakenFrom() throws Exception {
    KalmanTracker original = new KalmanTracker(SETTINGS);
    for (int i = 0; i < 25; i++) {
      step(original, i);
    }
    ByteString state = original.exportState(NO_SEAL);
    KalmanTracker restored = new KalmanTracker(SETTINGS);
    restored.restoreState(original.snapshotVersion(), state, NO_SEAL);
    assertThat(restored.exportState(NO_SEAL)).isEqualTo(state);
    assertThat(KalmanTrackerState.parseFrom(state).getTracksCount()).isGreaterThanOrEqualTo(3);

    for (int i = 25; i < 80; i++) {
      assertThat(step(restored, i)).as("frame %d", i).isEqualTo(step(original, i));
    }
    assertThat(describe(restored)).isEqualTo(describe(original));
    assertThat(restored.exportState(NO_SEAL)).isEqualTo(original.exportState(NO_SEAL));
  }

  @Test
  void itsStateKeepsClothingColourButNoBiometricAppearance() throws Exception {
    KalmanTracker tracker = new KalmanTracker(SETTINGS);
    TrackId id = null;
    for (int i = 0; i < 5; i++) {
      id = tracker.update(new FrameEvent(T + 100L * i, CameraId.of("cam-1"), List.of(new PersonObservation(
          new Position(2 + 0.1 * i, 3), List.of(), FeatureVector.of(0.9, 0.1, 0.4))))).get(0);
      tracker.advanceTo(T + 100L * i);
    }
    tracker.addAppearance(id, FeatureKind.FACE_GEOMETRY, FeatureVector.of(0.123456, 0.654321, 0.777777), T + 500);
    tracker.addAppearance(id, FeatureKind.CLOTHING_COLOR, FeatureVector.of(0.9, 0.1, 0.4), T + 500);

    KalmanTrackerState state = KalmanTrackerState.parseFrom(tracker.exportState(NO_SEAL));
    assertThat(state.getTracks(0).getAppearanceList()).extracting(a -> a.getKind())
        .containsExactly(FeatureKind.CLOTHING_COLOR.name());
    assertThat(state.getTracks(0).getHasLook()).isTrue();
    assertThat(state.toString()).doesNotContain("0.123456").doesNotContain("0.654321");
  }

  @Test
  void aFormatItDoesNotKnowIsRefused() {
    assertThatThrownBy(() -> new KalmanTracker(SETTINGS).restoreState(2, ByteString.EMPTY, NO_SEAL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KalmanTracker(SETTINGS).restoreState(1, ByteString.copyFromUtf8("\u0001\u0002"),
        NO_SEAL)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * One frame of two cameras: two people in different clothes who walk towards each other, meet and turn back,
   * with their hands out, a third who walks in later, and a false detection now and then.
   */
  private static List<Object> step(KalmanTracker tracker, int i) {
    long ts = T + 100L * i;
    double walked = 0.1 * (i <= 40 ? i % 41 : 80 - i) / 2;
    List<PersonObservation> people = new ArrayList<>();
    people.add(new PersonObservation(new Position(1 + walked, 3), List.of(new Point3(1.3 + walked, 3.4, 1.1)),
        FeatureVector.of(0.9, 0.1, 0.1)));
    people.add(new PersonObservation(new Position(5.05 - walked, 3.1), List.of(), FeatureVector.of(0.1, 0.2, 0.9)));
    if (i >= 10) {
      people.add(new PersonObservation(new Position(8, 1 + 0.05 * (i - 10)), List.of(), null));
    }
    if (i % 13 == 7) {
      people.add(new PersonObservation(new Position(10, 7), List.of(), null));
    }
    String camera = i % 2 == 0 ? "cam-1" : "cam-2";
    List<TrackId> assigned = tracker.update(new FrameEvent(ts, CameraId.of(camera), people));
    return List.of(assigned, tracker.advanceTo(ts));
  }

  private static List<Object> describe(KalmanTracker tracker) {
    List<Object> seen = new ArrayList<>();
    for (Track track : tracker.tracks()) {
      seen.add(List.of(track.id(), track.status(), track.position(), track.history(), track.lastSeenTs(),
          track.positionNoiseMetres()));
    }
    seen.add(tracker.measurementNoiseMetres(CameraId.of("cam-1")));
    seen.add(tracker.measurementNoiseMetres(CameraId.of("cam-2")));
    return seen;
  }
}
