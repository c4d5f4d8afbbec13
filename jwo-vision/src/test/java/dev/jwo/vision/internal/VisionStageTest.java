package dev.jwo.vision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.keys.Subjects;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.evidence.CaptureLog;
import dev.jwo.compliance.policy.Policies;
import dev.jwo.compliance.policy.PolicySet;
import dev.jwo.compliance.vault.BiometricVault;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Purpose;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.GateId;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.IdentityTrace;
import dev.jwo.core.visit.PartyMovements;
import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackChange;
import dev.jwo.vision.TestLayouts;
import dev.jwo.vision.linking.LinkerSettings;
import dev.jwo.vision.linking.UnadmittedEntry;
import dev.jwo.vision.tracking.KalmanTracker;
import dev.jwo.vision.tracking.TrackerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The tracking stage screens every camera feature through the compliance guard before the tracker may use it. */
class VisionStageTest {
  static final long T = 1_764_410_400_000L;
  static final FeatureVector FACE_A = FeatureVector.of(0.9, 0.1, 0.3, 0.2);
  static final FeatureVector FACE_B = FeatureVector.of(0.1, 0.8, 0.2, 0.5);
  static final FeatureVector CLOTHES_A = FeatureVector.of(0.5, 0.2, 0.2, 0.1);

  private final FakeGuard guard = new FakeGuard();
  private final RecordingTracker tracker = new RecordingTracker();
  private final RecordingMovements movements = new RecordingMovements();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final Subjects subjects = new Subjects(storage, SubjectKey.random());
  private final AuditChain audit = new AuditChain(storage, subjects,
      dev.jwo.compliance.keys.AuditKey.random(), dev.jwo.compliance.audit.AuditCheckpoints.inMemory());
  private final PolicySet policies = Policies.resolve("US-IL");
  private final CaptureLog captures = new CaptureLog(audit, policies,
      new dev.jwo.compliance.consent.PartyRoster(storage, audit, subjects), subjects);
  private final VisionStage stage = new VisionStage(
      TestLayouts.store(), tracker, LinkerSettings.DEFAULTS, guard, movements, registry, captures);

  @Test
  void deniedBiometricFeaturesAreDroppedAndCountedWhileTrackingGoesOnByPosition() {
    guard.denied.add(DataCategory.FACE_GEOMETRY);

    walkTwoPeople("cam-f", 5);

    assertThat(tracker.appearances).isEmpty();
    assertThat(features("face_geometry", "dropped")).isEqualTo(10);
    assertThat(registry.find("jwo.vision.features").tag("outcome", "used").counter()).isNull();
    assertThat(tracker.tracks()).hasSize(2);
  }

  @Test
  void allowedFeaturesAreAddedToTheTrackOfTheirPerson() {
    walkTwoPeople("cam-f", 5);

    assertThat(tracker.appearances).hasSize(10);
    assertThat(tracker.appearances).allSatisfy(a -> assertThat(a.kind()).isEqualTo(FeatureKind.FACE_GEOMETRY));
    TrackId first = tracker.appearances.get(0).track();
    TrackId second = tracker.appearances.get(1).track();
    assertThat(first).isNotEqualTo(second);
    assertThat(tracker.appearances).filteredOn(a -> a.track().equals(first))
        .extracting(Appearance::features).containsOnly(FACE_A);
    assertThat(tracker.appearances).filteredOn(a -> a.track().equals(second))
        .extracting(Appearance::features).containsOnly(FACE_B);
    assertThat(features("face_geometry", "used")).isEqualTo(10);
  }

  @Test
  void theTrackerComparesClothingColourTheGuardAllowsForAnyoneAndNeverFaces() {
    stage.onEvent(new FrameEvent(T, CameraId.of("cam-c"), List.of(
        new PersonObservation(new Position(3, 3), List.of(), CLOTHES_A))));
    stage.onEvent(new FrameEvent(T + 10, CameraId.of("cam-f"), List.of(
        new PersonObservation(new Position(3, 6), List.of(), FACE_A))));
    guard.denied.add(DataCategory.CLOTHING_APPEARANCE);
    stage.onEvent(new FrameEvent(T + 20, CameraId.of("cam-c"), List.of(
        new PersonObservation(new Position(3, 3), List.of(), CLOTHES_A))));

    assertThat(tracker.frames).extracting(frame -> frame.people().get(0).features())
        .containsExactly(CLOTHES_A, null, null);
  }

  @Test
  void everyFeatureVectorIsCheckedOnceWithItsCategoryAndPurpose() {
    guard.denied.add(DataCategory.CLOTHING_APPEARANCE);

    stage.onEvent(new FrameEvent(T, CameraId.of("cam-c"), List.of(
        new PersonObservation(new Position(3, 3), List.of(), FACE_A),
        new PersonObservation(new Position(6, 3), List.of(), null),
        new PersonObservation(new Position(9, 3), List.of(), FACE_B))));
    stage.onEvent(new FrameEvent(T + 10, CameraId.of("cam-f"), List.of(
        new PersonObservation(new Position(3, 6), List.of(), FACE_A))));

    // The clothing camera's frame is asked about once more, for no one in particular, before the tracker sees it.
    assertThat(guard.uses).extracting(DataUse::category).containsExactly(
        DataCategory.LOCATION_TRACK, DataCategory.CLOTHING_APPEARANCE, DataCategory.CLOTHING_APPEARANCE,
        DataCategory.CLOTHING_APPEARANCE, DataCategory.LOCATION_TRACK, DataCategory.FACE_GEOMETRY);
    assertThat(guard.uses).extracting(DataUse::purpose).containsOnly(Purpose.CHECKOUT_TRACKING);
    assertThat(guard.uses).extracting(DataUse::ts).containsExactly(T, T, T, T, T + 10, T + 10);
    assertThat(tracker.appearances).extracting(Appearance::kind).containsExactly(FeatureKind.FACE_GEOMETRY);
    assertThat(features("clothing_color", "dropped")).isEqualTo(2);
  }

  @Test
  void featuresOfACameraThatDeclaresNoneAreNeverUsed() {
    stage.onEvent(new FrameEvent(T, CameraId.of("cam-n"), List.of(
        new PersonObservation(new Position(3, 3), List.of(), FACE_A))));

    assertThat(tracker.appearances).isEmpty();
    assertThat(guard.uses).extracting(DataUse::category).containsExactly(DataCategory.LOCATION_TRACK);
  }

  @Test
  void framesAreDroppedWhenLocationTrackingIsDenied() {
    guard.denied.add(DataCategory.LOCATION_TRACK);

    walkTwoPeople("cam-f", 3);

    assertThat(tracker.tracks()).isEmpty();
    assertThat(tracker.appearances).isEmpty();
    assertThat(registry.get("jwo.vision.frames.dropped").tag("reason", "location_tracking_denied").counter().count())
        .isEqualTo(3);
  }

  @Test
  void aPartyMembersFeaturesAreCheckedForThePartyThatAdmittedThem() {
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 1, "bio-2026-01");
    Admission admission = Admission.from(entry);
    stage.onEvent(entry);

    for (long ts = T + 500; ts <= T + 2_000; ts += 100) {
      double y = 0.3 + (ts - T - 500) / 1_000.0;
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-f"),
          List.of(new PersonObservation(new Position(2, y), List.of(), FACE_A))));
      stage.onTimeAdvanced(ts);
    }

    assertThat(movements.calls).containsExactly("entered " + admission.visitId());
    List<DataUse> faceChecks = guard.uses.stream().filter(u -> u.category() == DataCategory.FACE_GEOMETRY).toList();
    assertThat(faceChecks.get(0).subject()).as("before linking the person is nobody known").isNull();
    assertThat(faceChecks.get(faceChecks.size() - 1).subject()).isEqualTo(admission);
  }

  @Test
  void partyMembersAreSeenInAndOutAndTheirHandsAreAttributedToTheirVisit() {
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 1, null);
    VisitId visit = Admission.from(entry).visitId();
    stage.onEvent(entry);
    Position at = new Position(2, 0.3);
    long ts = T + 500;
    for (; ts <= T + 12_000; ts += 100) {
      // walk in, then straight to the exit gate at (10, 0), reaching for a shelf on the way
      double f = Math.min(1, (ts - T - 500) / 10_000.0);
      at = new Position(2 + 8 * f, 0.3 + 2 * Math.sin(Math.PI * f));
      List<Point3> hands = ts == T + 5_000 ? List.of(new Point3(at.x(), at.y() + 0.5, 1.1)) : List.of();
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(new PersonObservation(at, hands, null))));
      stage.onTimeAdvanced(ts);
    }
    stage.onEvent(new ExitEvent(ts, GateId.of("out-1")));
    stage.onEvent(new ExitEvent(ts + 1_000, GateId.of("out-1")));

    assertThat(movements.calls).containsExactly("entered " + visit, "exited " + visit, "unmatched exit out-1");
    List<HandSighting> hands = stage.handsNear(new Point3(4, 2, 1.1), 3, T, ts);
    assertThat(hands).singleElement().satisfies(h -> {
      assertThat(h.visit()).isEqualTo(visit);
      assertThat(h.ts()).isEqualTo(T + 5_000);
    });
    assertThat(registry.get("jwo.vision.exits").tag("outcome", "matched").counter().count()).isEqualTo(1);
    assertThat(registry.get("jwo.vision.exits").tag("outcome", "unmatched").counter().count()).isEqualTo(1);
  }

  @Test
  void anExitNobodyCouldBeMatchedToGoesInDoubtToTheVisitWhoseShopperVanishedBeforeIt() {
    VisitId visit = walkInAndStop(new Position(5, 4), T + 20_000);
    // The shopper is no longer seen; someone leaves where no camera tracks them.
    long exit = T + 40_000;
    stage.onEvent(new ExitEvent(exit, GateId.of("out-1")));
    stage.onTimeAdvanced(exit + 5_000);
    assertThat(movements.calls).as("not before the shopper has gone unseen long enough")
        .containsExactly("entered " + visit, "unmatched exit out-1");

    stage.onTimeAdvanced(exit + VisionStage.UNSEEN_AFTER_EXIT_MILLIS + 100);

    assertThat(movements.calls).containsExactly("entered " + visit, "unmatched exit out-1", "doubt " + visit,
        "exited " + visit);
    assertThat(registry.get("jwo.vision.exits").tag("outcome", "given_to_unseen").counter().count()).isEqualTo(1);
  }

  @Test
  void anExitNobodyCouldBeMatchedToEndsNoVisitWhoseShopperIsStillSeen() {
    VisitId visit = walkInAndStop(new Position(5, 4), T + 20_000);
    long exit = T + 20_100;
    stage.onEvent(new ExitEvent(exit, GateId.of("out-1")));
    for (long ts = exit; ts <= exit + 30_000; ts += 100) {
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(new PersonObservation(new Position(5, 4),
          List.of(), null))));
      stage.onTimeAdvanced(ts);
    }

    assertThat(movements.calls).containsExactly("entered " + visit, "unmatched exit out-1");
  }

  @Test
  void aPersonAppearingAtTheEntryLineWithoutAScanIsToldAfterTheyGoOnAsAPersonOfTheirOwn() {
    List<UnadmittedEntry> told = new ArrayList<>();
    stage.unadmittedEntryListeners(Set.of(told::add));
    for (long ts = T; ts <= T + 8_000; ts += 100) {
      Position at = new Position(1.8, 0.3 + 2.7 * Math.min(1, (ts - T) / 3_000.0));
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(new PersonObservation(at, List.of(), null))));
      stage.onTimeAdvanced(ts);
    }

    assertThat(told).singleElement().satisfies(e -> assertThat(e.behind()).isNull());
    assertThat(registry.get("jwo.vision.unadmitted").tag("outcome", "told").counter().count()).isEqualTo(1);
  }

  @Test
  void aTrackOnTheFloorBeforeItReachedTheEntryLineIsNoUnadmittedEntry() {
    List<UnadmittedEntry> told = new ArrayList<>();
    stage.unadmittedEntryListeners(Set.of(told::add));
    // someone already inside walks towards the entrance, is unseen for a moment, and is seen again at the line
    // walking in: the same track, found again
    long ts = T;
    for (; ts <= T + 4_000; ts += 100) {
      double f = (ts - T) / 4_000.0;
      Position at = new Position(5 - 3.2 * f, 4 - 3.2 * f);
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(new PersonObservation(at, List.of(), null))));
      stage.onTimeAdvanced(ts);
    }
    for (; ts < T + 5_500; ts += 100) {
      stage.onTimeAdvanced(ts);
    }
    for (; ts <= T + 14_000; ts += 100) {
      double f = Math.min(1, (ts - T - 5_500) / 3_000.0);
      Position at = new Position(1.8 + 0.7 * f, 0.3 + 2.7 * f);
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(new PersonObservation(at, List.of(), null))));
      stage.onTimeAdvanced(ts);
    }

    assertThat(told).isEmpty();
    assertThat(registry.get("jwo.vision.unadmitted").tag("outcome", "on_the_floor_before").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aPersonAppearingInsideWhereNoLostShopperCouldHaveWalkedIsTracedAsNobodys() {
    List<String> why = new ArrayList<>();
    stage.identityTrace(new IdentityTrace() {
      @Override
      public void trackLabelled(TrackId track, @Nullable VisitId visit, long ts, String reason) {
        if (visit == null) {
          why.add(reason);
        }
      }
    });
    for (long ts = T; ts <= T + 3_000; ts += 100) {
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"),
          List.of(new PersonObservation(new Position(6, 5), List.of(), null))));
      stage.onTimeAdvanced(ts);
    }

    assertThat(why).singleElement().asString()
        .startsWith("appeared at (6.0, 5.0) away from the entry gates, where no lost shopper could have walked");
  }

  /** A shopper of a party of one walks in and on to {@code to}, seen until {@code until}. */
  private VisitId walkInAndStop(Position to, long until) {
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 1, null);
    stage.onEvent(entry);
    for (long ts = T + 500; ts <= until; ts += 100) {
      double f = Math.min(1, (ts - T - 500) / 5_000.0);
      Position at = new Position(2 + (to.x() - 2) * f, 0.3 + (to.y() - 0.3) * f);
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(new PersonObservation(at, List.of(), null))));
      stage.onTimeAdvanced(ts);
    }
    return Admission.from(entry).visitId();
  }

  @Test
  void anAllowedFaceIsUsedButNotKeptHereAndForgottenWhenDenied() {
    EntryEvent entry = new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 1, "bio-2026-01");
    Admission admission = Admission.from(entry);
    stage.onEvent(entry);
    walkIn(T + 500, T + 2_000);

    String subject = subjects.of(admission.credential());
    assertThat(tracker.appearances).isNotEmpty();
    assertThat(storage.table(BiometricVault.DATA).scan("")).as("kept only at the store's boundary").isEmpty();
    assertThat(audit.records()).filteredOn(r -> r.type() == AuditType.CAPTURE)
        .extracting(AuditRecord::subject).contains(subject);
    assertThat(tracker.forgotten).isEmpty();

    guard.denied.add(DataCategory.FACE_GEOMETRY);
    walkIn(T + 2_100, T + 2_300);

    assertThat(tracker.forgotten).isNotEmpty();
    assertThat(audit.records()).filteredOn(r -> r.type() == AuditType.DROP)
        .extracting(AuditRecord::subject).contains(subject);
    assertThat(captures.counts().get(FeatureKind.FACE_GEOMETRY).dropReasons()).containsKey(
        "denied by the test [test]");
  }

  static final FeatureVector RED = FeatureVector.of(0.5, 0.1, 0.1, 0.05, 0.05, 0.05, 0.1, 0.05);
  static final FeatureVector BLUE = FeatureVector.of(0.05, 0.1, 0.05, 0.5, 0.1, 0.05, 0.05, 0.1);

  @Test
  void clothingColoursAfterAnEncounterClearTheDoubt() {
    List<VisitId> visits = admitTwo();
    meetAndPart("cam-c", RED, BLUE);
    TrackId a = trackAt(new Position(4, 3));
    TrackId b = trackAt(new Position(8, 3));

    assertThat(stage.identityInDoubt(a, T + 12_000)).isFalse();
    assertThat(stage.identityInDoubt(b, T + 12_000)).isFalse();
    assertThat(visits).hasSize(2);
  }

  @Test
  void faceFeaturesAreNeverUsedToClearTheDoubt() {
    admitTwo();
    meetAndPart("cam-f", FACE_A, FACE_B);

    assertThat(stage.identityInDoubt(trackAt(new Position(4, 3)), T + 12_000)).isTrue();
    assertThat(stage.identityInDoubt(trackAt(new Position(8, 3)), T + 12_000)).isTrue();
  }

  @Test
  void aDoubtfulExitIsNotDoubtWhenNobodyInvolvedTouchedAShelfSinceTheEncounter() {
    admitTwo();
    meetAndPart("cam-f", FACE_A, FACE_B);
    TrackId left = trackAt(new Position(4, 3));
    assertThat(stage.identityInDoubt(left, T + 12_000)).isTrue();

    walkOut(false);

    assertThat(movements.calls).noneMatch(call -> call.startsWith("doubt"));
  }

  @Test
  void aDoubtfulExitIsDoubtWhenAShopperInvolvedReachedIntoABinSinceTheEncounter() {
    List<VisitId> visits = admitTwo();
    meetAndPart("cam-f", FACE_A, FACE_B);

    walkOut(true);

    assertThat(movements.calls).contains("doubt " + visits.get(0));
  }

  /** The shopper at (4, 3) walks to the exit at (10, 0) and out, reaching into the bin at (5, 4) on the way or not. */
  private void walkOut(boolean reach) {
    long ts = T + 12_100;
    for (; ts <= T + 18_000; ts += 100) {
      double f = Math.min(1, (ts - T - 12_100) / 5_000.0);
      Position a = new Position(4 + 6 * f, 3 - 2.8 * f);
      List<Point3> hands = reach && ts == T + 12_500 ? List.of(new Point3(4.9, 3.9, 1.1)) : List.of();
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(
          new PersonObservation(a, hands, null), new PersonObservation(new Position(8, 3), List.of(), null))));
      stage.onTimeAdvanced(ts);
    }
    stage.onEvent(new ExitEvent(ts, GateId.of("out-1")));
  }

  @Test
  void anExitWithAnotherVisitsShopperAsNearTheGateIsInDoubtForBoth() {
    List<VisitId> visits = admitTwo();
    long ts = T + 3_500;
    for (; ts <= T + 14_000; ts += 100) {
      double f = Math.min(1, (ts - T - 3_500) / 9_000.0);
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(
          new PersonObservation(new Position(2 + 8 * f, 3.3 - 3.1 * f), List.of(), null),
          new PersonObservation(new Position(2 + 7.5 * f,
              0.3 + 0.6 * Math.min(1, 10 * f) - 0.6 * Math.max(0, (f - 0.8) / 0.2)), List.of(), null))));
      stage.onTimeAdvanced(ts);
    }
    stage.onEvent(new ExitEvent(ts, GateId.of("out-1")));

    assertThat(movements.calls).contains("doubt " + visits.get(0), "doubt " + visits.get(1));
  }

  /** Two single shoppers come in, the first at {@code T + 500}, the second at {@code T + 3_500}. */
  private List<VisitId> admitTwo() {
    EntryEvent first = new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 1, null);
    EntryEvent second = new EntryEvent(T + 3_000, GateId.of("in-1"), Credential.of("c-2"), 1, null);
    stage.onEvent(first);
    for (long ts = T + 500; ts < T + 3_500; ts += 100) {
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-n"), List.of(
          new PersonObservation(new Position(2, 0.3 + (ts - T - 500) / 1_000.0), List.of(), null))));
      stage.onTimeAdvanced(ts);
    }
    stage.onEvent(second);
    return List.of(Admission.from(first).visitId(), Admission.from(second).visitId());
  }

  /** The two shoppers walk to (6, 3), pass within 0.2 m of each other and part to (4, 3) and (8, 3). */
  private void meetAndPart(String camera, FeatureVector first, FeatureVector second) {
    for (long ts = T + 3_500; ts <= T + 12_000; ts += 100) {
      double f = Math.min(1, (ts - T - 3_500) / 4_000.0);
      double g = Math.max(0, Math.min(1, (ts - T - 8_500) / 2_000.0));
      Position a = new Position(2 + 4 * f - 2 * g, 3.0 - 0.1 * (1 - g));
      Position b = new Position(2 + 4.2 * f + 1.8 * g, 0.3 + 2.8 * f - 0.1 * (1 - g) + 0.1 * g);
      stage.onEvent(new FrameEvent(ts, CameraId.of(camera), List.of(
          new PersonObservation(a, List.of(), first), new PersonObservation(b, List.of(), second))));
      stage.onTimeAdvanced(ts);
    }
  }

  private TrackId trackAt(Position position) {
    return tracker.tracks().stream()
        .filter(t -> t.position().distanceTo(position) < 0.3)
        .map(Track::id)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aFaceRemovedAtTheBoundaryIsReportedAsADropWithItsRule() {
    PersonObservation.FeatureRemoval removed =
        new PersonObservation.FeatureRemoval("the person holds no valid signed release", "740 ILCS 14/15(b)");
    for (int i = 0; i < 5; i++) {
      long ts = T + 100L * i;
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-f"),
          List.of(new PersonObservation(new Position(4 + 0.1 * i, 3), List.of(), null, removed))));
      stage.onTimeAdvanced(ts);
    }

    assertThat(tracker.appearances).isEmpty();
    assertThat(features("face_geometry", "dropped")).isEqualTo(5);
    assertThat(captures.counts().get(FeatureKind.FACE_GEOMETRY).dropReasons())
        .containsOnlyKeys("the person holds no valid signed release [740 ILCS 14/15(b)]");
    assertThat(audit.records()).filteredOn(r -> r.type() == AuditType.DROP).singleElement()
        .satisfies(r -> assertThat(r.detail("rule")).isEqualTo("740 ILCS 14/15(b)"));
  }

  private void walkIn(long from, long to) {
    for (long ts = from; ts <= to; ts += 100) {
      double y = 0.3 + Math.min(1.5, (ts - T - 500) / 1_000.0);
      stage.onEvent(new FrameEvent(ts, CameraId.of("cam-f"),
          List.of(new PersonObservation(new Position(2, y), List.of(), FACE_A))));
      stage.onTimeAdvanced(ts);
    }
  }

  private void walkTwoPeople(String camera, int frames) {
    for (int i = 0; i < frames; i++) {
      long ts = T + 100L * i;
      stage.onEvent(new FrameEvent(ts, CameraId.of(camera), List.of(
          new PersonObservation(new Position(4 + 0.1 * i, 3), List.of(), FACE_A),
          new PersonObservation(new Position(8 - 0.1 * i, 5), List.of(), FACE_B))));
      stage.onTimeAdvanced(ts);
    }
  }

  private double features(String kind, String outcome) {
    Counter counter = registry.find("jwo.vision.features").tags("kind", kind, "outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Allows everything except the categories in {@link #denied}; remembers every question. */
  static final class FakeGuard implements ComplianceGuard {
    final Set<DataCategory> denied = EnumSet.noneOf(DataCategory.class);
    final List<DataUse> uses = new ArrayList<>();

    @Override
    public GuardDecision check(DataUse use) {
      uses.add(use);
      return denied.contains(use.category())
          ? GuardDecision.deny("denied by the test", "test")
          : GuardDecision.allow("allowed by the test", "test");
    }
  }

  record Appearance(TrackId track, FeatureKind kind, FeatureVector features, long ts) {}

  /** The default tracker, recording the appearance features it is given. */
  static final class RecordingTracker implements PersonTracker {
    final KalmanTracker delegate = new KalmanTracker(TrackerSettings.DEFAULTS);
    final List<Appearance> appearances = new ArrayList<>();
    final List<FrameEvent> frames = new ArrayList<>();
    final List<TrackId> forgotten = new ArrayList<>();

    @Override
    public List<@Nullable TrackId> update(FrameEvent frame) {
      frames.add(frame);
      return delegate.update(frame);
    }

    @Override
    public void addAppearance(TrackId track, FeatureKind kind, FeatureVector features, long ts) {
      appearances.add(new Appearance(track, kind, features, ts));
      delegate.addAppearance(track, kind, features, ts);
    }

    @Override
    public Optional<Double> appearanceSimilarity(TrackId a, TrackId b, FeatureKind kind) {
      return delegate.appearanceSimilarity(a, b, kind);
    }

    @Override
    public void forgetAppearance(TrackId track) {
      forgotten.add(track);
      delegate.forgetAppearance(track);
    }

    @Override
    public List<TrackChange> advanceTo(long ts) {
      return delegate.advanceTo(ts);
    }

    @Override
    public void markExited(TrackId track, long ts) {
      delegate.markExited(track, ts);
    }

    @Override
    public Optional<Track> track(TrackId id) {
      return delegate.track(id);
    }

    @Override
    public Collection<Track> tracks() {
      return delegate.tracks();
    }
  }

  static final class RecordingMovements implements PartyMovements {
    final List<String> calls = new ArrayList<>();

    @Override
    public void memberEntered(VisitId visit, TrackId track, long ts) {
      calls.add("entered " + visit);
    }

    @Override
    public void entryWindowClosed(VisitId visit, int membersSeen, long ts) {}

    @Override
    public void memberExited(VisitId visit, TrackId track, long ts) {
      calls.add("exited " + visit);
    }

    @Override
    public void unmatchedExit(GateId gate, long ts) {
      calls.add("unmatched exit " + gate);
    }

    @Override
    public void movementInDoubt(VisitId visit, String doubt, long ts) {
      calls.add("doubt " + visit);
    }
  }
}
