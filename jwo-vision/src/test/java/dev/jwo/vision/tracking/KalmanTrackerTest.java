package dev.jwo.vision.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.CameraId;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackChange;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class KalmanTrackerTest {
  static final long T = 1_764_410_400_000L;
  /** Three hits to confirm, tentative tracks dropped after 600 ms, lost after 1.2 s, forgotten 20 s later. */
  static final TrackerSettings SETTINGS = TrackerSettings.DEFAULTS;

  private final KalmanTracker tracker = new KalmanTracker(SETTINGS);

  @Test
  void aTrackIsConfirmedAfterEnoughHits() {
    TrackId id = tracker.update(frame(T, "cam-1", new Position(5, 3))).get(0);
    assertThat(tracker.advanceTo(T)).isEmpty();
    tracker.update(frame(T + 100, "cam-1", new Position(5.05, 3)));
    assertThat(tracker.advanceTo(T + 100)).isEmpty();
    assertThat(status(id)).isEqualTo(TrackStatus.TENTATIVE);

    assertThat(tracker.update(frame(T + 200, "cam-1", new Position(5.1, 3)))).containsExactly(id);

    assertThat(tracker.advanceTo(T + 200)).containsExactly(new TrackChange(id, TrackStatus.CONFIRMED, T + 200));
    assertThat(status(id)).isEqualTo(TrackStatus.CONFIRMED);
  }

  @Test
  void aOneOffSpuriousDetectionNeverBecomesATrack() {
    List<TrackChange> changes = new ArrayList<>();
    TrackId spurious = null;
    for (int i = 0; i <= 20; i++) {
      long ts = T + 100L * i;
      List<Position> seen = new ArrayList<>(List.of(new Position(5 + 0.05 * i, 3)));
      if (i == 3) {
        seen.add(new Position(9, 6));
      }
      List<TrackId> assigned = tracker.update(frame(ts, "cam-1", seen.toArray(Position[]::new)));
      if (i == 3) {
        spurious = assigned.get(1);
      }
      changes.addAll(tracker.advanceTo(ts));
    }

    assertThat(spurious).isNotNull();
    assertThat(tracker.track(spurious)).isEmpty();
    assertThat(tracker.tracks()).hasSize(1);
    assertThat(changes).extracting(TrackChange::track).doesNotContain(spurious);
    assertThat(changes).extracting(TrackChange::status).containsExactly(TrackStatus.CONFIRMED);
  }

  @Test
  void twoOverlappingCamerasSeeingTheSamePersonGiveOneTrack() {
    Set<TrackId> assigned = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      long ts = T + 100L * i;
      double x = 3 + 0.12 * i;
      assigned.addAll(tracker.update(frame(ts, "cam-1", new Position(x + 0.08, 3.05))));
      assigned.addAll(tracker.update(frame(ts + 17, "cam-2", new Position(x - 0.08, 2.95))));
      tracker.advanceTo(ts + 17);
    }

    assertThat(assigned).hasSize(1);
    assertThat(tracker.tracks()).singleElement().satisfies(track -> {
      assertThat(track.status()).isEqualTo(TrackStatus.CONFIRMED);
      assertThat(track.position().distanceTo(new Position(3 + 0.12 * 29, 3))).isLessThan(0.3);
    });
  }

  @Test
  void twoPeopleApartGiveTwoTracks() {
    Set<TrackId> assigned = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      long ts = T + 100L * i;
      assigned.addAll(tracker.update(frame(ts, "cam-1", new Position(3, 3), new Position(4.5, 3))));
      assigned.addAll(tracker.update(frame(ts + 17, "cam-2", new Position(4.5, 3.02), new Position(3.02, 3))));
    }

    assertThat(assigned).hasSize(2);
    assertThat(tracker.tracks()).hasSize(2);
  }

  @Test
  void anUnseenTrackIsLostAndLaterForgotten() {
    TrackId id = confirmedAt(new Position(5, 3));
    long lastSeen = tracker.track(id).orElseThrow().lastSeenTs();

    assertThat(tracker.advanceTo(lastSeen + SETTINGS.lostAfterMillis())).isEmpty();
    assertThat(tracker.advanceTo(lastSeen + SETTINGS.lostAfterMillis() + 1))
        .containsExactly(new TrackChange(id, TrackStatus.LOST, lastSeen + SETTINGS.lostAfterMillis() + 1));
    assertThat(status(id)).isEqualTo(TrackStatus.LOST);

    assertThat(tracker.advanceTo(lastSeen + SETTINGS.forgetLostAfterMillis())).isEmpty();
    assertThat(tracker.track(id)).isPresent();
    tracker.advanceTo(lastSeen + SETTINGS.forgetLostAfterMillis() + 1);
    assertThat(tracker.track(id)).isEmpty();
    assertThat(tracker.tracks()).isEmpty();
  }

  @Test
  void aBrieflyLostTrackIsContinuedWhenItsPersonIsSeenAgainNearby() {
    TrackId id = confirmedAt(new Position(5, 3));
    long lastSeen = tracker.track(id).orElseThrow().lastSeenTs();
    tracker.advanceTo(lastSeen + 1_300);
    assertThat(status(id)).isEqualTo(TrackStatus.LOST);

    // Unseen for 1.5 s, the track's gate has widened to 0.8 + 1.2 x 1.3 = 2.36 m.
    List<TrackId> assigned = new ArrayList<>();
    for (int i = 0; i < SETTINGS.hitsToConfirm(); i++) {
      assigned.addAll(tracker.update(frame(lastSeen + 1_500 + 100L * i, "cam-1", new Position(6.2 + 0.05 * i, 3))));
    }

    assertThat(assigned.get(assigned.size() - 1)).isEqualTo(id);
    long confirmedTs = lastSeen + 1_500 + 100L * (SETTINGS.hitsToConfirm() - 1);
    assertThat(tracker.advanceTo(confirmedTs)).containsExactly(new TrackChange(id, TrackStatus.CONFIRMED, confirmedTs));
    assertThat(status(id)).isEqualTo(TrackStatus.CONFIRMED);
    assertThat(tracker.tracks()).singleElement().satisfies(t -> {
      assertThat(t.position().distanceTo(new Position(6.3, 3))).isLessThan(0.1);
      assertThat(t.history()).extracting(TrackPoint::ts).contains(lastSeen, confirmedTs);
    });
  }

  @Test
  void aSingleSpuriousDetectionDoesNotReviveALostTrack() {
    TrackId id = confirmedAt(new Position(5, 3));
    long lastSeen = tracker.track(id).orElseThrow().lastSeenTs();
    tracker.advanceTo(lastSeen + 1_300);

    List<TrackId> assigned = tracker.update(frame(lastSeen + 1_500, "cam-1", new Position(6.2, 3)));
    tracker.advanceTo(lastSeen + 2_500);

    assertThat(assigned).doesNotContain(id);
    assertThat(status(id)).isEqualTo(TrackStatus.LOST);
    assertThat(tracker.track(id).orElseThrow().position().distanceTo(new Position(5, 3))).isLessThan(0.05);
  }

  @Test
  void twoPeopleCrossingKeepTheirTracks() {
    // One walks right, the other left, along lines 0.3 m apart: nearest-first would swap them where they meet.
    TrackId right = null;
    TrackId left = null;
    for (int i = 0; i <= 40; i++) {
      long ts = T + 100L * i;
      Position a = new Position(3 + 0.1 * i, 3.0);
      Position b = new Position(7 - 0.1 * i, 3.3);
      List<TrackId> ids = tracker.update(frame(ts, "cam-1", a, b));
      tracker.advanceTo(ts);
      if (i == 5) {
        right = ids.get(0);
        left = ids.get(1);
      }
      if (i > 5) {
        assertThat(ids).containsExactly(right, left);
      }
    }
    assertThat(right).isNotEqualTo(left);
  }

  @Test
  void aLostTrackIsNotContinuedByADetectionBeyondItsGate() {
    TrackId id = confirmedAt(new Position(5, 3));
    long lastSeen = tracker.track(id).orElseThrow().lastSeenTs();
    tracker.advanceTo(lastSeen + 1_300);

    List<TrackId> assigned = tracker.update(frame(lastSeen + 1_500, "cam-1", new Position(7.6, 3)));

    assertThat(assigned).doesNotContain(id);
    assertThat(status(id)).isEqualTo(TrackStatus.LOST);
  }

  @Test
  void anExitedTrackIsNoLongerMatched() {
    TrackId id = confirmedAt(new Position(9.8, 0.3));
    long lastSeen = tracker.track(id).orElseThrow().lastSeenTs();

    tracker.markExited(id, lastSeen + 10);
    List<TrackId> assigned = tracker.update(frame(lastSeen + 100, "cam-1", new Position(9.8, 0.3)));

    assertThat(status(id)).isEqualTo(TrackStatus.EXITED);
    assertThat(assigned).doesNotContain(id).doesNotContainNull();
  }

  @Test
  void keepsTheHandsSeenWithEachPoint() {
    Point3 hand = new Point3(5.1, 3.9, 1.1);
    TrackId id = tracker.update(frame(T, "cam-1", new Position(5, 3))).get(0);
    tracker.update(new FrameEvent(T + 100, CameraId.of("cam-1"),
        List.of(new PersonObservation(new Position(5, 3.05), List.of(hand), null))));
    tracker.update(frame(T + 200, "cam-1", new Position(5, 3.1)));

    Track track = tracker.track(id).orElseThrow();
    assertThat(track.history()).extracting(TrackPoint::ts).containsExactly(T, T + 100, T + 200);
    assertThat(track.historyBetween(T + 50, T + 150)).singleElement()
        .satisfies(p -> assertThat(p.hands()).containsExactly(hand));
  }

  private TrackId confirmedAt(Position position) {
    TrackId id = null;
    for (int i = 0; i < 5; i++) {
      id = tracker.update(frame(T + 100L * i, "cam-1", position)).get(0);
    }
    assertThat(tracker.advanceTo(T + 400)).containsExactly(new TrackChange(id, TrackStatus.CONFIRMED, T + 200));
    return id;
  }

  private TrackStatus status(TrackId id) {
    return tracker.track(id).orElseThrow().status();
  }

  @Test
  void twoPeopleWhoMeetAndTurnBackKeepTheirTracksByTheirClothing() {
    FeatureVector red = FeatureVector.of(0.7, 0.1, 0.1, 0.1);
    FeatureVector blue = FeatureVector.of(0.1, 0.1, 0.1, 0.7);

    assertThat(tracksOfTwoWhoMeetAndTurnBack(new KalmanTracker(SETTINGS), red, blue))
        .as("each track follows one person from start to end").containsExactly(1, 1);
    // Positions alone cannot tell: the tracks carry on the way they were going, each with the other person.
    assertThat(tracksOfTwoWhoMeetAndTurnBack(new KalmanTracker(SETTINGS), null, null))
        .as("without appearance each track ends with the other person").containsExactly(2, 2);
  }

  /**
   * Two people walk towards each other along one line, meet, and walk back the way they came, seen by one camera
   * at 10 frames per second.
   *
   * @return for the first and the second person, how many tracks their detections were given to once confirmed
   */
  private static List<Integer> tracksOfTwoWhoMeetAndTurnBack(KalmanTracker tracker,
      @Nullable FeatureVector first, @Nullable FeatureVector second) {
    Set<TrackId> ofFirst = new HashSet<>();
    Set<TrackId> ofSecond = new HashSet<>();
    for (int i = 0; i <= 40; i++) {
      long ts = T + 100L * i;
      double walked = 0.1 * (i <= 20 ? i : 40 - i);
      List<PersonObservation> people = List.of(
          new PersonObservation(new Position(1 + walked, 3), List.of(), first),
          new PersonObservation(new Position(5.05 - walked, 3), List.of(), second));
      List<TrackId> assigned = tracker.update(new FrameEvent(ts, CameraId.of("cam-1"), people));
      tracker.advanceTo(ts);
      if (i >= 5) {
        ofFirst.add(assigned.get(0));
        ofSecond.add(assigned.get(1));
      }
    }
    return List.of(ofFirst.size(), ofSecond.size());
  }

  static FrameEvent frame(long ts, String camera, Position... people) {
    List<PersonObservation> observed = new ArrayList<>();
    for (Position p : people) {
      observed.add(new PersonObservation(p, List.of(), null));
    }
    return new FrameEvent(ts, CameraId.of(camera), observed);
  }
}
