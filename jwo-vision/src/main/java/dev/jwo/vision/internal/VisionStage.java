package dev.jwo.vision.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.compliance.ComplianceGuard;
import dev.jwo.compliance.DataCategory;
import dev.jwo.compliance.DataUse;
import dev.jwo.compliance.GuardDecision;
import dev.jwo.compliance.Purpose;
import dev.jwo.compliance.evidence.CaptureLog;
import dev.jwo.core.Bin;
import dev.jwo.core.Camera;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FeatureVector;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.SnapshotPart;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.SnapshotStage;
import dev.jwo.core.visit.Admission;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.IdentityTrace;
import dev.jwo.core.visit.PartyMovements;
import dev.jwo.core.visit.ShopperLocator;
import dev.jwo.core.visit.VisitListener;
import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackChange;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.TrackStatus;
import dev.jwo.vision.paths.VisitPaths;
import dev.jwo.vision.linking.EntryWindowClosed;
import dev.jwo.vision.linking.IdentityConfusion;
import dev.jwo.vision.linking.LinkerSettings;
import dev.jwo.vision.linking.PartyLink;
import dev.jwo.vision.linking.PartyLinker;
import dev.jwo.vision.linking.UnadmittedEntry;
import dev.jwo.vision.v1.UnadmittedEntryState;
import dev.jwo.vision.v1.UnmatchedExit;
import dev.jwo.vision.v1.VisionState;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.TreeMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tracking stage of the pipeline: feeds frames to the {@link PersonTracker}, screens every camera feature
 * through the {@link ComplianceGuard} before the tracker may use it, links tracks to admitted parties and tells
 * the session registry who came and went. Also answers where shoppers' hands have been.
 *
 * <p>Biometric features (those with a {@link DataCategory#modality()}) are used only when the guard allows them for
 * the track's person; a denied vector is dropped and the track's working appearance forgotten, so tracking goes on
 * by position alone (a withdrawal stops use at the next frame). Nothing biometric is kept here: what the store
 * keeps was sealed at its boundary, before it was written (see {@code GuardedFeatureIntake}), and reaches this stage
 * opened from the vault. Every vector and what became of it is reported to the {@link CaptureLog}.
 *
 * <p>Its state (stage {@code vision} of the pipeline's snapshots: the tracker's, the identity beliefs, the party
 * links, the entries and exits still waiting) can be snapshotted when the tracker exports its own
 * ({@link SnapshotPart}), as the default tracker does.
 */
@Singleton
public final class VisionStage implements SensorEventHandler, SnapshotStage, ShopperLocator, VisitListener {
  /** Track time is advanced at most this often, in event-time milliseconds. */
  private static final long ADVANCE_STEP_MILLIS = 100;
  /** A shopper of another visit not farther than this beyond the matched track from an exit is a rival. */
  private static final double CONFUSION_METRES = 0.4;
  /** Tracks of different visits farther apart than this are never confused (many noise deviations). */
  private static final double NEVER_CONFUSED_METRES = 1.0;
  /** A hand this close to a bin's front (beyond half its width) may have taken from it. */
  private static final double SHELF_REACH_METRES = 0.3;
  /** How much input a restart replays for the tracks of people not linked to a visit. */
  private static final long UNLINKED_HISTORY_MILLIS = 60_000;
  /** How far ahead a track's position is carried when asked who stands somewhere. */
  private static final long MAX_EXTRAPOLATION_MILLIS = 2_000;
  /**
   * How long a track that came in unadmitted must go on as a person of its own before it is told as tailgating: a
   * track started by a spurious detection at the gate that then took up an admitted shopper's detections, or a
   * fragment of one, is merged into that shopper's track, lost, or still walks beside them within that time.
   */
  static final long UNADMITTED_CONFIRM_MILLIS = 5_000;
  /**
   * A track born longer than this before it was seen at an entry gate's line was on the floor already, and whoever
   * it followed did not come in there: cameras see only the floor, so a person coming in appears at the line (a track
   * the tracker started a moment earlier on a false detection nearby is allowed for). A chain of false detections
   * that wanders across the line, or a shopper's track passing by the entrance, is no unadmitted entry.
   */
  static final long ON_THE_FLOOR_BEFORE_MILLIS = 2_000;
  /**
   * An exit no tracked shopper could be matched to is given, once this long has passed with none of a visit's
   * shoppers seen since before it, to that visit (held for review).
   */
  static final long UNSEEN_AFTER_EXIT_MILLIS = 20_000;
  /** Exits no visit was found for within this long are forgotten (counted already as unmatched). */
  static final long UNMATCHED_EXIT_MEMORY_MILLIS = 120_000;
  /** How often, in event time, the unmatched exits are looked at again. */
  static final long UNMATCHED_EXIT_CHECK_MILLIS = 1_000;
  /** An unadmitted track this close to a shopper of a visit when it is to be told is taken for that shopper. */
  static final double SAME_PERSON_METRES = 0.6;

  private final StoreLayout layout;
  private final PersonTracker tracker;
  private final PartyLinker linker;
  private final ComplianceGuard guard;
  private final PartyMovements movements;
  private final MeterRegistry registry;
  private Set<UnadmittedEntry.Listener> unadmittedListeners = Set.of();
  /** Unadmitted entries waiting {@link #UNADMITTED_CONFIRM_MILLIS} to show they are a person of their own. */
  private final Map<TrackId, UnadmittedEntry> unconfirmed = new java.util.LinkedHashMap<>();
  /** Exits no tracked shopper could be matched to, oldest first, waiting for a visit whose shoppers vanished. */
  private final List<ExitEvent> unmatchedExits = new ArrayList<>();
  private long unmatchedExitsCheckedAt = Long.MIN_VALUE;
  private final CaptureLog captures;
  private final IdentityConfusion confusion = new IdentityConfusion(NEVER_CONFUSED_METRES);
  private final double exitRadiusMetres;
  private long advancedTo = Long.MIN_VALUE;
  private IdentityTrace identityTrace = IdentityTrace.NONE;
  private @Nullable VisitPaths paths;

  @Inject
  public VisionStage(
      StoreLayout layout,
      PersonTracker tracker,
      LinkerSettings linkerSettings,
      ComplianceGuard guard,
      PartyMovements movements,
      MeterRegistry registry,
      CaptureLog captures) {
    this.layout = layout;
    this.tracker = tracker;
    this.linker = new PartyLinker(layout, linkerSettings,
        (a, b) -> tracker.appearanceSimilarity(a, b, FeatureKind.CLOTHING_COLOR));
    this.exitRadiusMetres = linkerSettings.exitRadiusMetres();
    this.guard = guard;
    this.movements = movements;
    this.registry = registry;
    this.captures = captures;
  }

  /** Whoever is to be told of every change of a track's visit. */
  @Inject
  void identityTrace(IdentityTrace trace) {
    identityTrace = trace;
  }

  /** Where each visit's path walked is kept (none: not kept). */
  @Inject
  void visitPaths(VisitPaths visitPaths) {
    paths = visitPaths;
  }

  /** Whoever is to be told of people coming in without a place in an admitted party (tailgating). */
  @Inject
  void unadmittedEntryListeners(Set<UnadmittedEntry.Listener> listeners) {
    unadmittedListeners = Set.copyOf(listeners);
    linker.addUnadmittedEntryListener(entry -> {
      unconfirmed.put(entry.track(), entry);
      identityTrace.trackLabelled(entry.track(), null, entry.ts(), String.format(Locale.ROOT,
          "crossed entry gate %s at %d with no place left in a party admitted there", entry.gate(), entry.ts()));
    });
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.TRACKING;
  }

  /**
   * Tracks of a visit are followed from its entry: input since the oldest entry of a visit still linked, and at
   * least the last minute (for people not linked to any visit).
   */
  @Override
  public long needsInputSince(long ts) {
    return Math.min(ts - UNLINKED_HISTORY_MILLIS, linker.oldestLinkedEntry().orElse(Long.MAX_VALUE));
  }

  @Override
  public String snapshotName() {
    return "vision";
  }

  @Override
  public int snapshotVersion() {
    return 1;
  }

  /** Snapshots need the tracker's state: the default tracker exports it, a retailer's may not. */
  @Override
  public boolean canSnapshot() {
    return tracker instanceof SnapshotPart;
  }

  /**
   * The tracker's state, the identity beliefs, the party links, and the unadmitted entries and unmatched exits
   * still waiting. Nothing biometric: the tracker leaves out biometric appearance, and the beliefs hold clothing
   * colour only.
   */
  @Override
  public ByteString exportState(SnapshotSeal seal) {
    if (!(tracker instanceof SnapshotPart part)) {
      throw new IllegalStateException("the person tracker " + tracker.getClass().getName()
          + " cannot export its state");
    }
    VisionState.Builder state = VisionState.newBuilder()
        .setTrackerVersion(part.snapshotVersion())
        .setTracker(part.exportState(seal))
        .setIdentity(confusion.export())
        .setLinker(linker.export(seal, tracker::track))
        .setUnmatchedExitsCheckedAt(unmatchedExitsCheckedAt)
        .setAdvancedTo(advancedTo);
    for (UnadmittedEntry entry : unconfirmed.values()) {
      UnadmittedEntryState.Builder kept = UnadmittedEntryState.newBuilder().setGate(entry.gate().value())
          .setTrack(entry.track().value()).setTs(entry.ts());
      Admission behind = entry.behind();
      if (behind != null) {
        kept.setBehind(seal.seal(behind));
      }
      state.addUnconfirmed(kept);
    }
    unmatchedExits.forEach(e -> state.addUnmatchedExits(UnmatchedExit.newBuilder().setTs(e.ts())
        .setGate(e.gate().value())));
    return state.build().toByteString();
  }

  /** Takes the state of a snapshot: the tracker's first, then what refers to its tracks. */
  @Override
  public void restoreState(int version, ByteString state, SnapshotSeal seal) {
    if (version != 1) {
      throw new IllegalArgumentException("vision state version " + version + " is unknown to this release");
    }
    if (!(tracker instanceof SnapshotPart part)) {
      throw new IllegalArgumentException("the person tracker " + tracker.getClass().getName()
          + " cannot take a snapshot's state");
    }
    VisionState kept;
    List<UnadmittedEntry> entries = new ArrayList<>();
    List<ExitEvent> exits = new ArrayList<>();
    try {
      kept = VisionState.parseFrom(state);
      for (UnadmittedEntryState e : kept.getUnconfirmedList()) {
        entries.add(new UnadmittedEntry(GateId.of(e.getGate()), TrackId.of(e.getTrack()), e.getTs(),
            e.hasBehind() ? seal.open(e.getBehind()) : null));
      }
      kept.getUnmatchedExitsList().forEach(e -> exits.add(new ExitEvent(e.getTs(), GateId.of(e.getGate()))));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("the vision state cannot be read: " + e.getMessage(), e);
    }
    part.restoreState(kept.getTrackerVersion(), kept.getTracker(), seal);
    try {
      confusion.restore(kept.getIdentity());
      linker.restore(kept.getLinker(), seal, tracker::track);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the vision state cannot be read: " + e.getMessage(), e);
    }
    unconfirmed.clear();
    entries.forEach(e -> unconfirmed.put(e.track(), e));
    unmatchedExits.clear();
    unmatchedExits.addAll(exits);
    unmatchedExitsCheckedAt = kept.getUnmatchedExitsCheckedAt();
    advancedTo = kept.getAdvancedTo();
  }

  @Override
  public void onEvent(SensorEvent event) {
    if (event instanceof FrameEvent frame) {
      onFrame(frame);
    } else if (event instanceof EntryEvent entry) {
      linker.admit(Admission.from(entry));
    } else if (event instanceof ExitEvent exit) {
      onExit(exit);
    }
  }

  private void onFrame(FrameEvent frame) {
    GuardDecision locations = guard.check(new DataUse(DataCategory.LOCATION_TRACK, Purpose.CHECKOUT_TRACKING, null,
        frame.ts()));
    if (!locations.allowed()) {
      registry.counter("jwo.vision.frames.dropped", "reason", "location_tracking_denied").increment();
      return;
    }
    FeatureKind kind = layout.camera(frame.camera()).map(Camera::features).orElse(FeatureKind.NONE);
    List<@Nullable TrackId> assigned = tracker.update(asTrackerMaySee(frame, kind));
    if (kind == FeatureKind.NONE) {
      return;
    }
    DataCategory category = DataCategory.ofCameraFeatures(kind);
    for (int i = 0; i < assigned.size(); i++) {
      PersonObservation person = frame.people().get(i);
      FeatureVector features = person.features();
      PersonObservation.FeatureRemoval removed = person.removed();
      if (features == null && removed == null) {
        continue;
      }
      TrackId track = assigned.get(i);
      Admission subject = track == null ? null : linker.admissionOf(track).orElse(null);
      if (removed != null) {
        // Removed at the store's boundary before anything was written; reported here so that every replay of
        // the journal reports it the same way.
        if (track != null && category.modality() != null) {
          tracker.forgetAppearance(track);
        }
        captures.record(kind, subject, GuardDecision.deny(removed.reason(), removed.rule()), false, frame.ts());
        registry.counter("jwo.vision.features", "kind", kind.wireName(), "outcome", "dropped").increment();
        continue;
      }
      if (features == null) {
        continue;
      }
      GuardDecision decision = guard.check(new DataUse(category, Purpose.CHECKOUT_TRACKING, subject, frame.ts()));
      boolean used = decision.allowed() && track != null;
      if (used) {
        tracker.addAppearance(track, kind, features, frame.ts());
        if (kind == FeatureKind.CLOTHING_COLOR && category.modality() == null) {
          // Identity evidence comes only from clothing colour, which is not biometric; never from faces.
          confusion.clothingColour(track, features, frame.ts());
        }
      } else if (track != null && category.modality() != null) {
        tracker.forgetAppearance(track);
      }
      captures.record(kind, subject, decision, used, frame.ts());
      registry.counter("jwo.vision.features", "kind", kind.wireName(), "outcome", used ? "used" : "dropped")
          .increment();
    }
  }

  private void onExit(ExitEvent exit) {
    Gate gate = layout.gate(exit.gate()).orElseThrow();
    Optional<PartyLink> match = linker.matchExit(gate, exit.ts(), tracker.tracks());
    if (match.isEmpty()) {
      registry.counter("jwo.vision.exits", "outcome", "unmatched").increment();
      movements.unmatchedExit(exit.gate(), exit.ts());
      unadmittedListeners.forEach(l -> l.exitWithoutVisit(exit.gate(), exit.ts()));
      unmatchedExits.add(exit);
      return;
    }
    PartyLink link = match.get();
    Set<Admission> rivals = exitRivals(gate, link);
    double sure = confusion.visitsOf(link.track(), exit.ts()).getOrDefault(link.admission().visitId(), 1.0);
    if (!rivals.isEmpty() || (sure < IdentityConfusion.SURE && doubtCanChangeAReceipt(link.track(), exit.ts()))) {
      // Whose exit this was is not certain: the visits involved carry the doubt into their receipts' probability.
      String doubt = rivals.isEmpty()
          ? String.format(Locale.ROOT, "the exit at gate %s was matched to track %s, which belongs to this visit"
              + " with p %.3f after it came close to shoppers of other visits", exit.gate(), link.track(), sure)
          : "the exit at gate " + exit.gate() + " was matched to track " + link.track()
              + " while a shopper of another visit was about as near the gate";
      double right = rivals.isEmpty() ? sure : sure / (1 + rivals.size());
      registry.counter("jwo.vision.exits", "outcome", "doubtful").increment();
      movements.movementInDoubt(link.admission().visitId(), doubt, right, exit.ts());
      for (Admission rival : rivals) {
        movements.movementInDoubt(rival.visitId(), doubt, 1 - 1.0 / (1 + rivals.size()), exit.ts());
      }
    }
    tracker.markExited(link.track(), exit.ts());
    registry.counter("jwo.vision.exits", "outcome", "matched").increment();
    movements.memberExited(link.admission().visitId(), link.track(), exit.ts());
  }

  /**
   * Whether a swap at the track's encounters could change a receipt: only if it or a track it met reached into a
   * bin since (or that cannot be told, because a track or that part of its history is gone). A swap after which
   * nobody involved touched a shelf changes who walked out when, but no line of any receipt.
   */
  private boolean doubtCanChangeAReceipt(TrackId track, long ts) {
    long since = confusion.doubtfulSince(track).orElse(Long.MIN_VALUE);
    Set<TrackId> involved = new LinkedHashSet<>(confusion.metSinceDoubt(track));
    involved.add(track);
    for (TrackId id : involved) {
      Optional<Track> found = tracker.track(id);
      if (found.isEmpty()) {
        return true;
      }
      List<TrackPoint> history = found.get().history();
      if (history.isEmpty() || history.get(0).ts() > since) {
        return true;
      }
      for (TrackPoint point : found.get().historyBetween(since, ts)) {
        for (Point3 hand : point.hands()) {
          for (Bin bin : layout.bins()) {
            if (hand.distanceTo(bin.front()) <= bin.widthMetres() / 2 + SHELF_REACH_METRES) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /** The visits, other than the matched one, with a confirmed track near the exit gate, in a fixed order. */
  private Set<Admission> exitRivals(Gate gate, PartyLink link) {
    Set<Admission> rivals = new LinkedHashSet<>();
    double matched = tracker.track(link.track()).map(t -> t.position().distanceTo(gate.position())).orElse(0.0);
    // A rival is near the gate and not clearly farther from it than the matched track (by the confusion distance).
    double reach = Math.min(exitRadiusMetres, matched + CONFUSION_METRES);
    for (Track track : tracker.tracks()) {
      if (track.status() != TrackStatus.CONFIRMED || track.id().equals(link.track())
          || track.position().distanceTo(gate.position()) > reach) {
        continue;
      }
      linker.admissionOf(track.id()).filter(a -> !a.equals(link.admission())).ifPresent(rivals::add);
    }
    return rivals;
  }

  /**
   * The frame as the tracker may see it. Appearance helps the tracker tell people apart before anyone knows who
   * they are, so it is kept only where it is never biometric (clothing colour, not faces) and the guard allows it
   * for a person not yet identified; otherwise the tracker gets positions and hands alone.
   */
  private FrameEvent asTrackerMaySee(FrameEvent frame, FeatureKind kind) {
    if (frame.people().stream().allMatch(person -> person.features() == null)) {
      return frame;
    }
    if (kind != FeatureKind.NONE) {
      DataCategory category = DataCategory.ofCameraFeatures(kind);
      if (category.modality() == null
          && guard.check(new DataUse(category, Purpose.CHECKOUT_TRACKING, null, frame.ts())).allowed()) {
        return frame;
      }
    }
    return new FrameEvent(frame.ts(), frame.camera(),
        frame.people().stream().map(PersonObservation::withoutFeatures).toList());
  }

  @Override
  public void onTimeAdvanced(long ts) {
    if (advancedTo != Long.MIN_VALUE && ts - advancedTo < ADVANCE_STEP_MILLIS) {
      return;
    }
    advancedTo = ts;
    for (TrackChange change : tracker.advanceTo(ts)) {
      TrackId merged = change.mergedInto();
      if (merged != null) {
        // One person seen twice: the surviving track carries on whatever the duplicate was.
        // A survivor that takes the duplicate's party is the member already counted when the duplicate joined.
        Optional<Admission> before = linker.admissionOf(merged);
        linker.onMerged(change.track(), merged);
        linker.admissionOf(merged).filter(a -> !Optional.of(a).equals(before)).ifPresent(a ->
            identityTrace.trackLabelled(merged, a.visitId(), change.ts(), "took over the visit of " + change.track()
                + ", found to be the same person seen twice"));
        dropUnconfirmed(change.track(), "merged");
        confusion.continued(change.track(), merged);
        confusion.forget(change.track());
        registry.counter("jwo.vision.tracks.merged").increment();
        continue;
      }
      Optional<Track> track = tracker.track(change.track());
      if (track.isEmpty()) {
        continue;
      }
      if (change.status() == TrackStatus.CONFIRMED) {
        linker.onFound(track.get());
        PartyLinker.Outcome outcome = linker.onConfirmed(track.get(), change.ts());
        linked(outcome, change.ts());
        if (outcome instanceof PartyLinker.Unlinked && linker.appearedInside(track.get())) {
          Position born = track.get().born().position();
          identityTrace.trackLabelled(change.track(), null, change.ts(), String.format(Locale.ROOT,
              "appeared at (%.1f, %.1f) away from the entry gates, where no lost shopper could have walked: nobody's",
              born.x(), born.y()));
        }
      } else if (change.status() == TrackStatus.LOST) {
        linker.onLost(track.get());
        dropUnconfirmed(change.track(), "lost");
      }
    }
    for (PartyLinker.Outcome outcome : linker.decideAtGates(ts)) {
      linked(outcome, ts);
    }
    for (IdentityConfusion.Swap swap : confusion.observe(tracker.tracks(), linker::admissionOf, ts)) {
      linker.swap(swap.first(), swap.second());
      traceSwap(swap.first(), swap.second(), swap.ts());
      traceSwap(swap.second(), swap.first(), swap.ts());
      registry.counter("jwo.vision.swaps.undone").increment();
    }
    for (EntryWindowClosed closed : linker.closeWindows(ts)) {
      movements.entryWindowClosed(closed.admission().visitId(), closed.membersSeen(), closed.ts());
    }
    confirmUnadmitted(ts);
    giveUnmatchedExits(ts);
    samplePaths(ts);
  }

  /** Notes where each shopper held for a visit is, for the visit's path ({@link VisitPaths}). */
  private void samplePaths(long ts) {
    VisitPaths kept = paths;
    if (kept == null) {
      return;
    }
    for (Track track : tracker.tracks()) {
      if (track.status() == TrackStatus.CONFIRMED) {
        linker.admissionOf(track.id()).ifPresent(a -> kept.sample(a.visitId(), track.id(), track.position(), ts));
      }
    }
  }

  private void traceSwap(TrackId track, TrackId other, long ts) {
    linker.admissionOf(track).ifPresent(a -> identityTrace.trackLabelled(track, a.visitId(), ts,
        "exchanged with track " + other + ": their clothing colours since they met show the tracker swapped them"));
  }

  /**
   * Gives each exit no tracked shopper could be matched to, once {@link #UNSEEN_AFTER_EXIT_MILLIS} have passed, to
   * the visit none of whose shoppers has been seen since before it (the one seen last, if several): its shopper most
   * likely left unseen, or on a track that had lost them. The visit carries the doubt into review; an exit no such
   * visit explains ends nobody's visit.
   */
  private void giveUnmatchedExits(long ts) {
    if (unmatchedExits.isEmpty() || (unmatchedExitsCheckedAt != Long.MIN_VALUE
        && ts - unmatchedExitsCheckedAt < UNMATCHED_EXIT_CHECK_MILLIS)) {
      return;
    }
    unmatchedExitsCheckedAt = ts;
    unmatchedExits.removeIf(exit -> ts - exit.ts() > UNMATCHED_EXIT_MEMORY_MILLIS);
    for (Iterator<ExitEvent> it = unmatchedExits.iterator(); it.hasNext(); ) {
      ExitEvent exit = it.next();
      if (ts - exit.ts() < UNSEEN_AFTER_EXIT_MILLIS) {
        break;
      }
      Map<Admission, Long> lastSeen = new TreeMap<>(Comparator.comparing(a -> a.visitId().value()));
      Map<Admission, TrackId> lastTrack = new HashMap<>();
      Set<Admission> seen = new HashSet<>();
      for (Map.Entry<TrackId, Admission> link : linker.links().entrySet()) {
        Optional<Track> track = tracker.track(link.getKey());
        long last = track.map(Track::lastSeenTs).orElse(Long.MIN_VALUE);
        if (track.filter(t -> t.status() == TrackStatus.CONFIRMED).isPresent() || last > exit.ts()) {
          seen.add(link.getValue());
        }
        if (last >= lastSeen.getOrDefault(link.getValue(), Long.MIN_VALUE)) {
          lastSeen.put(link.getValue(), last);
          lastTrack.put(link.getValue(), link.getKey());
        }
      }
      Admission vanished = lastSeen.entrySet().stream()
          .filter(e -> !seen.contains(e.getKey()) && e.getKey().ts() < exit.ts())
          .max(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey)
          .orElse(null);
      if (vanished == null) {
        continue;
      }
      it.remove();
      registry.counter("jwo.vision.exits", "outcome", "given_to_unseen").increment();
      long last = lastSeen.getOrDefault(vanished, Long.MIN_VALUE);
      String unseen = last == Long.MIN_VALUE ? "no shopper of this visit has been in view since its tracks ended"
          : "no shopper of this visit was seen after " + last;
      String doubt = String.format(Locale.ROOT, "%s; the exit at gate %s at %d, which no tracked shopper could be"
          + " matched to, was taken as theirs", unseen, exit.gate(), exit.ts());
      movements.movementInDoubt(vanished.visitId(), doubt, exit.ts());
      movements.memberExited(vanished.visitId(), Objects.requireNonNull(lastTrack.get(vanished)), exit.ts());
    }
  }

  private void dropUnconfirmed(TrackId track, String why) {
    if (unconfirmed.remove(track) != null) {
      registry.counter("jwo.vision.unadmitted", "outcome", why).increment();
    }
  }

  /**
   * Tells the listeners of each unadmitted entry whose track has gone on for {@link #UNADMITTED_CONFIRM_MILLIS}
   * without being merged or lost, unless it was on the floor before it reached the line
   * ({@link #ON_THE_FLOOR_BEFORE_MILLIS}), it now stands by a shopper of a visit (it was that shopper) or a party
   * whose entry window covered the crossing lost a place to a duplicate track (it was that party's member, who
   * takes the place; the party counted it when the duplicate came in).
   */
  private void confirmUnadmitted(long ts) {
    for (UnadmittedEntry entry : List.copyOf(unconfirmed.values())) {
      if (ts - entry.ts() < UNADMITTED_CONFIRM_MILLIS) {
        continue;
      }
      unconfirmed.remove(entry.track());
      Optional<Track> track = tracker.track(entry.track());
      if (linker.admissionOf(entry.track()).isPresent()) {
        registry.counter("jwo.vision.unadmitted", "outcome", "continued_a_shopper").increment();
        continue;
      }
      if (track.isEmpty() || track.get().status() != TrackStatus.CONFIRMED) {
        registry.counter("jwo.vision.unadmitted", "outcome", "lost").increment();
        continue;
      }
      if (entry.ts() - track.get().born().ts() > ON_THE_FLOOR_BEFORE_MILLIS) {
        registry.counter("jwo.vision.unadmitted", "outcome", "on_the_floor_before").increment();
        continue;
      }
      boolean beside = tracker.tracks().stream().anyMatch(other -> !other.id().equals(entry.track())
          && other.status() == TrackStatus.CONFIRMED && linker.admissionOf(other.id()).isPresent()
          && other.position().distanceTo(track.get().position()) <= SAME_PERSON_METRES);
      if (beside) {
        registry.counter("jwo.vision.unadmitted", "outcome", "beside_a_shopper").increment();
        continue;
      }
      Optional<PartyLink> place = linker.takeVacatedPlace(entry, ts);
      if (place.isPresent()) {
        registry.counter("jwo.vision.unadmitted", "outcome", "took_a_duplicates_place").increment();
        identityTrace.trackLabelled(entry.track(), place.get().admission().visitId(), ts, String.format(Locale.ROOT,
            "crossed entry gate %s at %d into the place of a member of the party scanned at %d whose track was"
                + " found to duplicate another shopper's", entry.gate(), entry.ts(), place.get().admission().ts()));
        continue;
      }
      registry.counter("jwo.vision.unadmitted", "outcome", "told").increment();
      unadmittedListeners.forEach(l -> l.unadmittedEntry(entry));
    }
  }

  private void linked(PartyLinker.Outcome outcome, long ts) {
    if (outcome instanceof PartyLinker.Joined joined) {
      movements.memberEntered(joined.link().admission().visitId(), joined.link().track(), joined.link().ts());
      List<Admission> rivals = linker.entryRivals(joined.link().track());
      identityTrace.trackLabelled(joined.link().track(), joined.link().admission().visitId(), joined.link().ts(),
          String.format(Locale.ROOT, "crossed entry gate %s, the party whose next member was due then (scanned at"
              + " %d)%s", joined.link().admission().gate(), joined.link().admission().ts(), rivals.isEmpty() ? ""
              : "; it could also have been " + rivals.stream().map(a -> a.visitId().value()).toList()));
      if (!rivals.isEmpty()) {
        // Two parties were coming through the gate at once: which one this person belongs to is a guess.
        String doubt = "track " + joined.link().track() + " came in while more than one party was being"
            + " admitted at the same gate, so which party it belongs to is in doubt";
        movements.movementInDoubt(joined.link().admission().visitId(), doubt, ts);
        for (Admission rival : rivals) {
          movements.movementInDoubt(rival.visitId(), doubt, ts);
        }
      }
    } else if (outcome instanceof PartyLinker.Continued continued) {
      identityTrace.trackLabelled(continued.link().track(), continued.link().admission().visitId(),
          continued.link().ts(), String.format(Locale.ROOT, "continues lost track %s, the likeliest of %d lost"
              + " shoppers who could have walked to where it appeared", continued.previous(),
              continued.candidates().size()));
      confusion.continued(continued.previous(), continued.link().track());
      // Other lost shoppers could have reappeared here too: the new track's visit is a mixture of theirs.
      confusion.continuedAmong(continued.link().track(), continued.candidates(), ts);
      registry.counter("jwo.vision.tracks.continued").increment();
      List<Admission> rivals = linker.entryRivals(continued.link().track());
      if (!rivals.isEmpty()) {
        // Found again at the entry while a party was coming in: a newcomer of that party may have been taken for it.
        String doubt = "track " + continued.link().track() + " was taken for a shopper already inside, near the"
            + " entry while another party was coming in, so whose it is is in doubt";
        movements.movementInDoubt(continued.link().admission().visitId(), doubt, ts);
        for (Admission rival : rivals) {
          movements.movementInDoubt(rival.visitId(), doubt, ts);
        }
      }
    }
  }

  @Override
  public void onEndOfStream(long ts) {
    advancedTo = Long.MIN_VALUE;
    onTimeAdvanced(ts);
  }

  @Override
  public List<HandSighting> handsNear(Point3 point, double radiusMetres, long fromTs, long toTs) {
    List<HandSighting> sightings = new ArrayList<>();
    for (Track track : tracker.tracks()) {
      Admission visit = linker.admissionOf(track.id()).orElse(null);
      for (TrackPoint p : track.historyBetween(fromTs, toTs)) {
        for (Point3 hand : p.hands()) {
          if (hand.distanceTo(point) <= radiusMetres) {
            sightings.add(new HandSighting(track.id(), visit == null ? null : visit.visitId(), hand, p.ts()));
          }
        }
      }
    }
    sightings.sort((a, b) -> a.ts() != b.ts() ? Long.compare(a.ts(), b.ts()) : a.track().compareTo(b.track()));
    return sightings;
  }

  @Override
  public Optional<Admission> shopperAt(Position position, long ts, double radiusMetres) {
    Track nearest = null;
    double best = Double.POSITIVE_INFINITY;
    double second = Double.POSITIVE_INFINITY;
    Track runnerUp = null;
    for (Track track : tracker.tracks()) {
      if (track.status() == TrackStatus.LOST || track.status() == TrackStatus.EXITED) {
        continue;
      }
      double d = estimatedAt(track, ts).distanceTo(position);
      if (d < best) {
        second = best;
        runnerUp = nearest;
        best = d;
        nearest = track;
      } else if (d < second) {
        second = d;
        runnerUp = track;
      }
    }
    if (nearest == null || best > radiusMetres) {
      return Optional.empty();
    }
    Optional<Admission> visit = linker.admissionOf(nearest.id());
    if (visit.isPresent() && runnerUp != null && second <= best + CONFUSION_METRES
        && !linker.admissionOf(runnerUp.id()).equals(visit)) {
      return Optional.empty();
    }
    return visit;
  }

  /**
   * Where the track's person is at {@code ts}, carrying its latest position forward at the velocity of its last
   * half second of history, for at most {@value #MAX_EXTRAPOLATION_MILLIS} ms.
   */
  private static Position estimatedAt(Track track, long ts) {
    Position now = track.position();
    List<TrackPoint> history = track.history();
    if (history.size() < 2 || ts <= track.lastSeenTs()) {
      return now;
    }
    TrackPoint last = history.get(history.size() - 1);
    TrackPoint earlier = last;
    for (int i = history.size() - 2; i >= 0 && last.ts() - earlier.ts() < 500; i--) {
      earlier = history.get(i);
    }
    long span = last.ts() - earlier.ts();
    if (span <= 0) {
      return now;
    }
    double ahead = Math.min(ts - track.lastSeenTs(), MAX_EXTRAPOLATION_MILLIS) / (double) span;
    return new Position(now.x() + (last.position().x() - earlier.position().x()) * ahead,
        now.y() + (last.position().y() - earlier.position().y()) * ahead);
  }

  @Override
  public boolean identityInDoubt(TrackId track, long ts) {
    return confusion.inDoubt(track, ts);
  }

  @Override
  public Map<VisitId, Double> visitsOf(TrackId track, @Nullable VisitId label, long ts) {
    Map<VisitId, Double> belief = confusion.visitsOf(track, ts);
    if (!belief.isEmpty()) {
      return belief;
    }
    return label == null ? Map.of() : Map.of(label, 1.0);
  }

  @Override
  public OptionalInt membersTracked(VisitId visit) {
    int tracked = 0;
    for (Track track : tracker.tracks()) {
      if (track.status() != TrackStatus.LOST && track.status() != TrackStatus.EXITED
          && linker.admissionOf(track.id()).filter(a -> a.visitId().equals(visit)).isPresent()) {
        tracked++;
      }
    }
    return OptionalInt.of(tracked);
  }

  @Override
  public void visitEnded(Admission admission, long exitTs) {
    for (Track track : tracker.tracks()) {
      if (linker.admissionOf(track.id()).filter(admission::equals).isPresent()) {
        identityTrace.trackLabelled(track.id(), null, exitTs, "its visit " + admission.visitId() + " ended");
        tracker.forgetAppearance(track.id());
        confusion.forget(track.id());
      }
    }
    confusion.visitEnded(admission.visitId());
    linker.forgetVisit(admission);
    if (paths != null) {
      paths.visitEnded(admission, exitTs);
    }
  }
}
