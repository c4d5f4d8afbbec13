package dev.jwo.testing.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackChange;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PersonTracker} must keep for visits to be followed through the store. Subclass it in
 * your tracker's tests and implement {@link #newTracker()} and {@link #lostAfterMillis()}.
 *
 * <p>Frames are those of the store log format: ten a second per camera, positions with about 5 cm of noise,
 * cameras that overlap and report the same person within about 10 cm of each other. People walk at most at 1.2 m/s
 * and those who are apart are at least 1.5 m apart. A person may be missed for up to 300 ms (three frames); the
 * tracker must keep their track through that. Time is advanced every 100 ms of event time, as the pipeline does.
 */
public abstract class PersonTrackerContractKit {
  protected static final long T = 1_764_410_400_000L;
  protected static final long FRAME_MILLIS = 100;
  private static final FeatureKind COLOUR = FeatureKind.CLOTHING_COLOR;

  private PersonTracker tracker;
  private final List<TrackChange> changes = new ArrayList<>();
  private final Random noise = new Random(11);
  private long advancedTo = Long.MIN_VALUE;

  /** A fresh tracker that has seen no frame. */
  protected abstract PersonTracker newTracker();

  /**
   * How long a confirmed track of {@link #newTracker()} may go without detections before it is lost: it is lost by
   * the first advance of time more than this after it was last seen, not before. At least 300 ms.
   */
  protected abstract long lostAfterMillis();

  @BeforeEach
  void setUpTracker() {
    tracker = newTracker();
    changes.clear();
    advancedTo = Long.MIN_VALUE;
  }

  @Test
  void framesWithNobodyMakeNoTracks() {
    for (int i = 0; i < 20; i++) {
      assertThat(see(frame(T + FRAME_MILLIS * i, "cam-1"))).isEmpty();
      advance(T + FRAME_MILLIS * i);
    }

    assertThat(changes).isEmpty();
    assertThat(tracker.tracks()).isEmpty();
    assertThat(tracker.track(TrackId.of("no-such-track"))).isEmpty();
  }

  @Test
  void onePersonWalkingKeepsOneTrack() {
    Walk alice = new Walk(new Position(2, 2), 1.2, 0.2);
    List<@Nullable TrackId> assigned = new ArrayList<>();
    long firstAssigned = Long.MIN_VALUE;
    long lastAssigned = Long.MIN_VALUE;
    long end = T;
    for (int i = 0; i < 60; i++) {
      long ts = T + FRAME_MILLIS * i;
      List<FrameEvent> frames = List.of(
          frame(ts, "cam-1", seen(alice, ts)), frame(ts + 17, "cam-2", seen(alice, ts + 17)));
      for (FrameEvent frame : frames) {
        TrackId id = see(frame).get(0);
        assigned.add(id);
        if (id != null) {
          firstAssigned = firstAssigned == Long.MIN_VALUE ? frame.ts() : firstAssigned;
          lastAssigned = frame.ts();
        }
      }
      end = ts + 17;
      advance(end);
    }

    Set<TrackId> ids = nonNull(assigned);
    assertThat(ids).hasSize(1);
    assertThat(assigned.stream().filter(Objects::isNull).count()).as("detections discarded")
        .isLessThanOrEqualTo(assigned.size() / 2);
    TrackId id = ids.iterator().next();
    long last = end;
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.track()).isEqualTo(id);
      assertThat(c.status()).isEqualTo(TrackStatus.CONFIRMED);
      assertThat(c.ts()).isBetween(T, last);
    });
    assertThat(tracker.advanceTo(last)).as("changes are reported once").isEmpty();
    assertThat(tracker.tracks()).singleElement().satisfies(track -> {
      assertThat(track.id()).isEqualTo(id);
      assertThat(track.status()).isEqualTo(TrackStatus.CONFIRMED);
      assertThat(track.position().distanceTo(alice.at(last))).isLessThan(0.3);
    });
    Track track = tracker.track(id).orElseThrow();
    assertThat(track.born().ts()).isEqualTo(firstAssigned);
    assertThat(track.born().position().distanceTo(alice.at(firstAssigned))).isLessThan(0.3);
    assertThat(track.lastSeenTs()).isEqualTo(lastAssigned);
  }

  @Test
  void aFewMissedFramesNeitherSplitNorLoseATrack() {
    Walk alice = new Walk(new Position(2, 2), 1.2, 0);
    List<@Nullable TrackId> assigned = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      long ts = T + FRAME_MILLIS * i;
      boolean missed = i > 10 && i % 10 >= 4 && i % 10 <= 6;
      assigned.addAll(see(missed ? frame(ts, "cam-1") : frame(ts, "cam-1", seen(alice, ts))));
      advance(ts);
    }

    assertThat(nonNull(assigned)).hasSize(1);
    assertThat(changes).extracting(TrackChange::status).containsExactly(TrackStatus.CONFIRMED);
  }

  @Test
  void overlappingCamerasSeeingOnePersonAtTheSameInstantGiveOneTrack() {
    Set<TrackId> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      long ts = T + FRAME_MILLIS * i;
      ids.addAll(nonNull(see(frame(ts, "cam-1", person(5.08, 3.02)))));
      ids.addAll(nonNull(see(frame(ts, "cam-2", person(4.94, 2.97)))));
      ids.addAll(nonNull(see(frame(ts, "cam-3", person(5.01, 3.09)))));
      advance(ts);
    }

    assertThat(ids).hasSize(1);
    assertThat(tracker.tracks()).hasSize(1);
  }

  @Test
  void twoPeopleApartKeepTwoTracks() {
    Walk alice = new Walk(new Position(2, 2), 1.0, 0);
    Walk bob = new Walk(new Position(2, 3.5), 1.0, 0);
    Set<TrackId> aliceIds = new HashSet<>();
    Set<TrackId> bobIds = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      long ts = T + FRAME_MILLIS * i;
      List<@Nullable TrackId> first = see(frame(ts, "cam-1", seen(alice, ts), seen(bob, ts)));
      List<@Nullable TrackId> second = see(frame(ts + 17, "cam-2", seen(bob, ts + 17), seen(alice, ts + 17)));
      aliceIds.addAll(nonNull(Arrays.asList(first.get(0), second.get(1))));
      bobIds.addAll(nonNull(Arrays.asList(first.get(1), second.get(0))));
      advance(ts + 17);
    }

    assertThat(aliceIds).hasSize(1);
    assertThat(bobIds).hasSize(1).doesNotContainAnyElementsOf(aliceIds);
    assertThat(tracker.tracks()).hasSize(2)
        .allSatisfy(track -> assertThat(track.status()).isEqualTo(TrackStatus.CONFIRMED));
  }

  @Test
  void aDetectionSeenOnceIsNeverConfirmed() {
    Walk alice = new Walk(new Position(2, 2), 1.2, 0);
    TrackId spurious = null;
    for (int i = 0; i < 50; i++) {
      long ts = T + FRAME_MILLIS * i;
      if (i == 20) {
        spurious = see(frame(ts, "cam-1", seen(alice, ts), person(9, 6))).get(1);
      } else {
        see(frame(ts, "cam-1", seen(alice, ts)));
      }
      advance(ts);
    }

    assertThat(changes).extracting(TrackChange::status).containsExactly(TrackStatus.CONFIRMED);
    if (spurious != null) {
      TrackId id = spurious;
      assertThat(changes).extracting(TrackChange::track).doesNotContain(id);
      tracker.track(id).ifPresent(track -> assertThat(track.status()).isEqualTo(TrackStatus.TENTATIVE));
    }
  }

  @Test
  void aTrackUnseenPastTheTimeoutIsLostOnceAndStillHeld() {
    TrackId id = confirmedStandingAt(new Position(5, 3));
    long lastSeen = tracker.track(id).orElseThrow().lastSeenTs();
    long end = lastSeen + lostAfterMillis() + 500;
    for (long ts = lastSeen + FRAME_MILLIS; ts <= end; ts += FRAME_MILLIS) {
      see(frame(ts, "cam-1"));
      advance(ts);
    }

    List<TrackChange> lost = changes.stream().filter(c -> c.status() == TrackStatus.LOST).toList();
    assertThat(lost).singleElement().satisfies(c -> {
      assertThat(c.track()).isEqualTo(id);
      assertThat(c.ts()).isGreaterThan(lastSeen + lostAfterMillis())
          .isLessThanOrEqualTo(lastSeen + lostAfterMillis() + FRAME_MILLIS);
    });
    assertThat(tracker.track(id)).get().satisfies(track -> {
      assertThat(track.status()).isEqualTo(TrackStatus.LOST);
      assertThat(track.lastSeenTs()).isEqualTo(lastSeen);
      assertThat(track.position().distanceTo(new Position(5, 3))).isLessThan(0.3);
    });
    assertThat(tracker.tracks()).extracting(Track::id).contains(id);
  }

  @Test
  void anExitedTrackIsNeverMatchedOrChangedAgain() {
    TrackId id = confirmedStandingAt(new Position(9.8, 0.4));
    long exitTs = tracker.track(id).orElseThrow().lastSeenTs() + 10;
    tracker.markExited(id, exitTs);
    int before = changes.size();

    assertThat(tracker.track(id)).get().extracting(Track::status).isEqualTo(TrackStatus.EXITED);
    List<@Nullable TrackId> assigned = new ArrayList<>();
    for (long ts = exitTs + 90; ts <= exitTs + 5_000; ts += FRAME_MILLIS) {
      assigned.addAll(see(frame(ts, "cam-1", person(9.8, 0.4))));
      advance(ts);
    }

    assertThat(assigned).doesNotContain(id);
    assertThat(changes.subList(before, changes.size())).extracting(TrackChange::track).doesNotContain(id);
    tracker.track(id).ifPresent(track -> assertThat(track.status()).isEqualTo(TrackStatus.EXITED));
    assertThatCode(() -> {
      tracker.markExited(id, exitTs + 6_000);
      tracker.markExited(TrackId.of("no-such-track"), exitTs + 6_000);
    }).doesNotThrowAnyException();
  }

  @Test
  void everyTrackIsForgottenInTheEnd() {
    TrackId alice = confirmedStandingAt(new Position(5, 3));
    long ts = tracker.track(alice).orElseThrow().lastSeenTs();
    TrackId bob = see(frame(ts + FRAME_MILLIS, "cam-1", person(9.8, 0.4), person(2, 6))).get(0);
    if (bob != null) {
      tracker.markExited(bob, ts + FRAME_MILLIS);
    }
    for (long t = ts + 1_000; t <= ts + 600_000; t += 1_000) {
      see(frame(t, "cam-1"));
      advance(t);
    }

    assertThat(tracker.tracks()).isEmpty();
    assertThat(tracker.track(alice)).isEmpty();
    assertThat(changes).filteredOn(c -> c.track().equals(alice)).extracting(TrackChange::status)
        .containsExactly(TrackStatus.CONFIRMED, TrackStatus.LOST);
  }

  @Test
  void theHistoryKeepsTheHandsSeenWithEachDetection() {
    Point3 inTheBin = new Point3(5, 4, 1.1);
    long reachFrom = T + 2_000;
    long reachTo = T + 2_500;
    List<Long> reaching = new ArrayList<>();
    TrackId id = null;
    for (int i = 0; i < 80; i++) {
      long ts = T + FRAME_MILLIS * i;
      boolean inReach = ts >= reachFrom && ts <= reachTo;
      Point3 hand = inReach ? inTheBin : new Point3(5.25, 3.4, 0.9);
      TrackId assigned = see(frame(ts, "cam-1", new PersonObservation(new Position(5, 3.4), List.of(hand), null)))
          .get(0);
      if (assigned != null) {
        id = assigned;
        if (inReach) {
          reaching.add(ts);
        }
      }
      advance(ts);
    }

    assertThat(reaching).as("detections while reaching that were kept").isNotEmpty();
    Track track = tracker.track(Objects.requireNonNull(id)).orElseThrow();
    List<TrackPoint> between = track.historyBetween(reachFrom, reachTo);
    assertThat(between).extracting(TrackPoint::ts).as("five seconds later, oldest first, bounds included")
        .containsExactlyElementsOf(reaching);
    assertThat(between).allSatisfy(p -> assertThat(p.hands()).containsExactly(inTheBin));
    List<Long> history = track.history().stream().map(TrackPoint::ts).toList();
    assertThat(history).isSorted().containsAll(reaching);
    assertThat(track.historyBetween(T + 8_000, T + 9_000)).isEmpty();
  }

  @Test
  void appearanceIsComparedOnlyWhileKept() {
    List<@Nullable TrackId> ids = List.of();
    for (int i = 0; i < 5; i++) {
      ids = see(frame(T + FRAME_MILLIS * i, "cam-1", person(2, 2), person(5, 2), person(8, 2)));
      advance(T + FRAME_MILLIS * i);
    }
    TrackId alice = Objects.requireNonNull(ids.get(0));
    TrackId bob = Objects.requireNonNull(ids.get(1));
    TrackId carol = Objects.requireNonNull(ids.get(2));
    long ts = T + 500;
    tracker.addAppearance(alice, COLOUR, FeatureVector.of(0.7, 0.1, 0.1, 0.1), ts);
    tracker.addAppearance(bob, COLOUR, FeatureVector.of(0.7, 0.1, 0.1, 0.1), ts);
    tracker.addAppearance(carol, COLOUR, FeatureVector.of(0.0, 0.1, 0.8, 0.1), ts);

    double same = tracker.appearanceSimilarity(alice, bob, COLOUR).orElseThrow();
    double different = tracker.appearanceSimilarity(alice, carol, COLOUR).orElseThrow();
    assertThat(same).isBetween(0.0, 1.0).isGreaterThan(different);
    assertThat(different).isBetween(0.0, 1.0);
    assertThat(tracker.appearanceSimilarity(alice, bob, FeatureKind.FACE_GEOMETRY)).as("no faces were added")
        .isEmpty();

    tracker.forgetAppearance(alice);

    assertThat(tracker.appearanceSimilarity(alice, bob, COLOUR)).isEmpty();
    assertThat(tracker.appearanceSimilarity(bob, alice, COLOUR)).isEmpty();
    assertThat(tracker.appearanceSimilarity(bob, carol, COLOUR)).isPresent();
    TrackId unknown = TrackId.of("no-such-track");
    assertThatCode(() -> {
      tracker.addAppearance(unknown, COLOUR, FeatureVector.of(1, 0, 0, 0), ts);
      tracker.forgetAppearance(unknown);
    }).doesNotThrowAnyException();
    assertThat(tracker.appearanceSimilarity(unknown, bob, COLOUR)).isEmpty();
  }

  @Test
  void theSameFramesGiveTheSameTracks() {
    List<FrameEvent> frames = new ArrayList<>();
    Walk alice = new Walk(new Position(2, 2), 1.2, 0.3);
    Walk bob = new Walk(new Position(9, 5), -0.8, -0.4);
    for (int i = 0; i < 100; i++) {
      long ts = T + FRAME_MILLIS * i;
      List<PersonObservation> cam1 = new ArrayList<>(List.of(seen(alice, ts)));
      if (i % 7 != 3) {
        cam1.add(seen(bob, ts));
      }
      if (i == 42) {
        cam1.add(person(1, 7));
      }
      frames.add(new FrameEvent(ts, CameraId.of("cam-1"), cam1));
      frames.add(frame(ts + 17, "cam-2", seen(bob, ts + 17), seen(alice, ts + 17)));
    }

    Run first = run(newTracker(), frames);
    Run second = run(newTracker(), frames);

    assertThat(nonNull(first.assigned())).hasSizeGreaterThanOrEqualTo(2);
    assertThat(second).isEqualTo(first);
  }

  private record Snapshot(TrackId id, TrackStatus status, Position position, long lastSeenTs, TrackPoint born,
      List<TrackPoint> history) {
    static Snapshot of(Track track) {
      return new Snapshot(track.id(), track.status(), track.position(), track.lastSeenTs(), track.born(),
          track.history());
    }
  }

  private record Run(List<@Nullable TrackId> assigned, List<TrackChange> changes, List<Snapshot> tracks) {}

  private static Run run(PersonTracker tracker, List<FrameEvent> frames) {
    List<@Nullable TrackId> assigned = new ArrayList<>();
    List<TrackChange> changes = new ArrayList<>();
    long advanced = Long.MIN_VALUE;
    for (FrameEvent frame : frames) {
      assigned.addAll(tracker.update(frame));
      if (advanced == Long.MIN_VALUE || frame.ts() - advanced >= FRAME_MILLIS) {
        advanced = frame.ts();
        changes.addAll(tracker.advanceTo(advanced));
      }
    }
    return new Run(assigned, changes, tracker.tracks().stream().map(Snapshot::of).toList());
  }

  /** A person who stands at {@code position} for two seconds, until confirmed; returns the track. */
  private TrackId confirmedStandingAt(Position position) {
    TrackId id = null;
    for (int i = 0; i < 20; i++) {
      long ts = T + FRAME_MILLIS * i;
      TrackId assigned = see(frame(ts, "cam-1", person(position.x(), position.y()))).get(0);
      id = assigned == null ? id : assigned;
      advance(ts);
    }
    TrackId confirmed = Objects.requireNonNull(id, "the person was never assigned a track");
    assertThat(tracker.track(confirmed)).get().extracting(Track::status).isEqualTo(TrackStatus.CONFIRMED);
    return confirmed;
  }

  private List<@Nullable TrackId> see(FrameEvent frame) {
    List<@Nullable TrackId> assigned = tracker.update(frame);
    assertThat(assigned).as("one entry per person seen").hasSize(frame.people().size());
    return assigned;
  }

  private void advance(long ts) {
    if (advancedTo == Long.MIN_VALUE || ts - advancedTo >= FRAME_MILLIS) {
      advancedTo = ts;
      changes.addAll(tracker.advanceTo(ts));
    }
  }

  private static Set<TrackId> nonNull(List<@Nullable TrackId> ids) {
    Set<TrackId> set = new HashSet<>();
    for (TrackId id : ids) {
      if (id != null) {
        set.add(id);
      }
    }
    return set;
  }

  private PersonObservation seen(Walk walk, long ts) {
    Position at = walk.at(ts);
    return person(at.x() + noise.nextGaussian() * 0.05, at.y() + noise.nextGaussian() * 0.05);
  }

  private static PersonObservation person(double x, double y) {
    return new PersonObservation(new Position(x, y), List.of(new Point3(x + 0.25, y, 0.9)), null);
  }

  private static FrameEvent frame(long ts, String camera, PersonObservation... people) {
    return new FrameEvent(ts, CameraId.of(camera), List.of(people));
  }

  /** Walking in a straight line from {@code from} at time {@link #T}, in metres per second. */
  private record Walk(Position from, double vx, double vy) {
    Position at(long ts) {
      double s = (ts - T) / 1000.0;
      return new Position(from.x() + vx * s, from.y() + vy * s);
    }
  }
}
