package dev.jwo.vision.linking;

import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateKind;
import dev.jwo.core.Position;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackPoint;
import dev.jwo.vision.TrackStatus;
import dev.jwo.vision.tracking.TrackPointStates;
import dev.jwo.vision.v1.Continuation;
import dev.jwo.vision.v1.FrozenTrack;
import dev.jwo.vision.v1.PartyLinks;
import dev.jwo.vision.v1.PendingParty;
import dev.jwo.vision.v1.RivalClaims;
import dev.jwo.vision.v1.TrackLink;
import dev.jwo.vision.v1.TrackRef;
import dev.jwo.vision.v1.VacatedPlaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Decides which party each track belongs to.
 *
 * <p>Entry: a track joins a party only by crossing an entry gate's line inward after that party's scan: it appears
 * at the line (cameras see only the floor, so first seen within {@link LinkerSettings#lineBandMetres()} of the
 * floor's edge at the gate) and walks in, or, first seen a little farther in (its first steps were missed or
 * taken by a neighbour's track), no shopper already inside could be it. Crossings are given to the admissions at that gate in scan order (the
 * party with a place left, scanned before the crossing, whose next member would cross about then: the first about a
 * second after the scan, the others following; the earlier scan wins a tie); any other party that could as well
 * have claimed the same crossing is recorded as a rival ({@link #entryRivals}). A track that appears near the gate but
 * not at the line, or that came through while no party was admitting, is first considered a shopper already
 * inside whose track was lost: it continues the nearest lost linked track that could have walked there; a
 * crossing whose clothing colour clearly matches such a lost shopper (re-identification) continues it too.
 *
 * <p>Elsewhere, a new track continues the nearest lost track of a party that it could have walked from. At an exit,
 * the linked track nearest the gate is the one that left. Deterministic; called from the pipeline thread.
 */
public final class PartyLinker {
  /** Clothing colours at least this similar (cosine) re-identify a lost shopper at the gate. */
  static final double SAME_APPEARANCE = 0.9;
  /** A track near the gate that has not crossed the line after this long is decided without a crossing. */
  static final long DECIDE_WITHOUT_CROSSING_MILLIS = 3_000;
  /** A track this much nearer an exit gate than another was the one that passed it rather than the other. */
  static final double CLEARLY_NEARER_METRES = 0.5;
  /** When a party's first member crosses the line after its scan, typically. */
  static final long FIRST_MEMBER_MILLIS = 1_000;
  /** How far apart a party's members follow each other through the gate, typically. */
  static final long NEXT_MEMBER_MILLIS = 1_500;
  /** Crossing times that fit two parties within this much are a tie, decided by scan order. */
  private static final long MISFIT_TIE_MILLIS = 1_000;
  /** Another party whose next member would cross within this much of the chosen one's is a rival for the crossing. */
  private static final long RIVAL_MISFIT_MILLIS = 3_000;

  /** How alike two tracks' clothing colours are in [0, 1], if both have any. */
  @FunctionalInterface
  public interface AppearanceComparer {
    Optional<Double> similarity(TrackId a, TrackId b);
  }

  private final LinkerSettings settings;
  private final List<Gate> entryGates;
  private final Floor floor;
  private final AppearanceComparer appearance;
  private final List<PendingAdmission> pending = new ArrayList<>();
  /** Confirmed tracks first seen near an entry gate, not yet decided. */
  private final List<Track> atGate = new ArrayList<>();
  // Maps and sets keep their order of insertion, which a snapshot keeps too: a restored linker iterates them as the
  // original does.
  private final Map<TrackId, Admission> links = new LinkedHashMap<>();
  /** Linked tracks the tracker has lost, by id. */
  private final Map<TrackId, Track> lostTracks = new LinkedHashMap<>();
  /** Lost tracks whose person was found again on a new track. */
  private final Map<TrackId, TrackId> continuedBy = new LinkedHashMap<>();
  /** Tracks whose party was not the only one that could have claimed them, with the other candidates. */
  private final Map<TrackId, List<Admission>> entryRivals = new LinkedHashMap<>();
  /** Admissions whose entry window may still cover a crossing, for the evidence of an unadmitted entry. */
  private final List<Admission> recentAdmissions = new ArrayList<>();
  private final List<UnadmittedEntry.Listener> unadmittedEntryListeners = new ArrayList<>();
  /** Tracks whose crossing was told as an unadmitted entry: each crossing is told once. */
  private final Set<TrackId> toldUnadmitted = new LinkedHashSet<>();
  /** Linked tracks that hold one of their party's places (counted when they crossed the line as its newcomers). */
  private final Set<TrackId> placeHolders = new LinkedHashSet<>();
  /**
   * Places a duplicate track took in its party before the tracker merged it into a track already linked: the person
   * was counted twice, so a member who found every place taken may be the party's own.
   */
  private final Map<Admission, Integer> vacatedPlaces = new LinkedHashMap<>();

  public PartyLinker(StoreLayout layout, LinkerSettings settings) {
    this(layout, settings, (a, b) -> Optional.empty());
  }

  /** @param appearance compares clothing colours only (never biometric features) */
  public PartyLinker(StoreLayout layout, LinkerSettings settings, AppearanceComparer appearance) {
    this.settings = settings;
    this.entryGates = layout.gates().stream().filter(g -> g.kind() == GateKind.ENTRY).toList();
    this.floor = layout.floor();
    this.appearance = appearance;
  }

  /** A party was admitted: its members may now cross the gate line. */
  public void admit(Admission admission) {
    pending.add(new PendingAdmission(admission));
    recentAdmissions.add(admission);
  }

  /** Tells {@code listener} of every crossing of an entry gate no admitted party had a place for. */
  public void addUnadmittedEntryListener(UnadmittedEntry.Listener listener) {
    unadmittedEntryListeners.add(listener);
  }

  /** Result of considering a newly confirmed track. */
  public sealed interface Outcome permits Joined, Continued, Unlinked {}

  /** The track joined an admitted party at the entry gate. */
  public record Joined(PartyLink link) implements Outcome {}

  /**
   * The track continues the lost track {@code previous} of the same party, the likeliest of the lost tracks that
   * could have walked to where it appeared. {@code candidates} weighs each of those (previous included) by how
   * plausibly its person reappeared there; with one candidate the continuation is sure.
   */
  public record Continued(PartyLink link, TrackId previous, Map<TrackId, Double> candidates) implements Outcome {
    public Continued {
      candidates = Map.copyOf(candidates);
    }

    /** A continuation no other lost track could have been. */
    public Continued(PartyLink link, TrackId previous) {
      this(link, previous, Map.of(previous, 1.0));
    }
  }

  /** The track belongs to no party (yet). */
  public record Unlinked() implements Outcome {}

  /**
   * Considers a track the tracker has just confirmed (or found again). A track near an entry gate may be decided
   * later, by {@link #decideAtGates}, once it has crossed the line or clearly has not.
   */
  public Outcome onConfirmed(Track track, long ts) {
    if (links.containsKey(track.id())) {
      return new Unlinked();
    }
    TrackPoint origin = origin(track);
    if (nearestEntry(origin.position()).isPresent()) {
      atGate.add(track);
      Outcome outcome = decideAtGate(track, ts);
      if (!(outcome instanceof Unlinked) || !atGate.contains(track)) {
        atGate.remove(track);
      }
      return outcome;
    }
    return continuation(track, origin, ts);
  }

  /** Whether the track's person appeared away from every entry gate (so it is continued, or nobody's, at once). */
  public boolean appearedInside(Track track) {
    return nearestEntry(origin(track).position()).isEmpty();
  }

  /** Decides the tracks near the entry gates that have crossed the line, or waited long enough, by {@code ts}. */
  public List<Outcome> decideAtGates(long ts) {
    List<Outcome> decided = new ArrayList<>();
    for (Track track : List.copyOf(atGate)) {
      if (track.status() != TrackStatus.CONFIRMED || links.containsKey(track.id())) {
        atGate.remove(track);
        continue;
      }
      Outcome outcome = decideAtGate(track, ts);
      if (!(outcome instanceof Unlinked)) {
        atGate.remove(track);
        decided.add(outcome);
      }
    }
    return decided;
  }

  /** Unlinked while undecided (the track stays at the gate) or when it belongs to nobody (it is removed). */
  private Outcome decideAtGate(Track track, long ts) {
    TrackPoint origin = origin(track);
    Gate gate = nearestEntry(origin.position()).orElseThrow();
    boolean atLine = depth(origin.position(), gate) <= settings.lineBandMetres();
    Optional<Track> lost = lostShopperReaching(origin);
    if (!atLine && lost.isPresent()) {
      // First seen inside, not at the line, where a shopper already in the store could be: that shopper, unless it
      // is a newcomer of a party admitting at this gate, which is then a rival.
      atGate.remove(track);
      return continuationAtGate(track, gate, origin, ts);
    }
    if (atLine && !crossed(track, gate, origin)) {
      if (ts - origin.ts() < DECIDE_WITHOUT_CROSSING_MILLIS) {
        return new Unlinked();
      }
      atGate.remove(track);
      return continuation(track, origin, ts);
    }
    long crossing = origin.ts();
    List<PendingAdmission> candidates = pending.stream()
        .filter(a -> a.slotsLeft() > 0 && a.gate.equals(gate.position()) && a.admission.ts() <= crossing
            && crossing <= a.admission.ts() + settings.admissionWindowMillis())
        .sorted(Comparator.comparingLong((PendingAdmission a) -> a.admission.ts()))
        .toList();
    boolean looksLikeLost = lost.isPresent()
        && appearance.similarity(track.id(), lost.get().id()).filter(s -> s >= SAME_APPEARANCE).isPresent();
    if (candidates.isEmpty() || looksLikeLost) {
      atGate.remove(track);
      Outcome outcome = continuationAtGate(track, gate, origin, ts);
      if (candidates.isEmpty() && outcome instanceof Unlinked) {
        unadmittedEntry(track, gate, crossing);
      }
      return outcome;
    }
    PendingAdmission chosen = likeliestParty(candidates, crossing);
    List<Admission> rivals = candidates.stream()
        .filter(a -> a != chosen && misfit(a, crossing) - misfit(chosen, crossing) < RIVAL_MISFIT_MILLIS)
        .map(a -> a.admission)
        .toList();
    if (!rivals.isEmpty()) {
      entryRivals.put(track.id(), rivals);
    }
    return new Joined(chosen.link(track, ts));
  }

  /**
   * The admitting party a crossing most likely belongs to, by how well its time fits that party's next member: the
   * first about a second after the scan, the others following one after another. An earlier party whose next
   * member is long overdue (missed by the cameras, or never coming) does not take the first member of a party
   * scanned just before the crossing; between equally likely parties, the earlier scan wins.
   */
  private static PendingAdmission likeliestParty(List<PendingAdmission> candidates, long crossing) {
    PendingAdmission best = candidates.get(0);
    long bestMisfit = misfit(best, crossing);
    for (PendingAdmission candidate : candidates.subList(1, candidates.size())) {
      long misfit = misfit(candidate, crossing);
      if (misfit < bestMisfit - MISFIT_TIE_MILLIS) {
        best = candidate;
        bestMisfit = misfit;
      }
    }
    return best;
  }

  /** How far a crossing's time is from when the party's next member would typically cross. */
  private static long misfit(PendingAdmission party, long crossing) {
    return Math.abs(crossing - (party.admission.ts() + FIRST_MEMBER_MILLIS + party.members * NEXT_MEMBER_MILLIS));
  }

  /**
   * Continues a lost shopper with a track near the gate; the parties still admitting there (scanned before the
   * track appeared, with a place left) could have claimed it as a newcomer, so they are its rivals.
   */
  private Outcome continuationAtGate(Track track, Gate gate, TrackPoint origin, long ts) {
    Outcome outcome = continuation(track, origin, ts);
    if (outcome instanceof Continued) {
      long born = origin.ts();
      List<Admission> rivals = pending.stream()
          .filter(a -> a.slotsLeft() > 0 && a.gate.equals(gate.position()) && a.admission.ts() <= born
              && born <= a.admission.ts() + settings.admissionWindowMillis())
          .map(a -> a.admission)
          .toList();
      if (!rivals.isEmpty()) {
        entryRivals.put(track.id(), rivals);
      }
    }
    return outcome;
  }

  /**
   * Gives {@code entry}'s track, which found no place left, a place its party lost to a duplicate track: a party
   * admitted at the same gate whose entry window covered the crossing had one of its places taken by a track the
   * tracker has since merged into one already linked (one person seen twice), so the crossing was that party's
   * member, not a person who came in unadmitted. The place was counted when the duplicate crossed, so the party is
   * not told of a new member. Empty when no such place is free (the latest admission wins when several are).
   */
  public Optional<PartyLink> takeVacatedPlace(UnadmittedEntry entry, long ts) {
    if (links.containsKey(entry.track())) {
      return Optional.empty();
    }
    Optional<Admission> party = vacatedPlaces.keySet().stream()
        .filter(a -> a.gate().equals(entry.gate()) && a.ts() <= entry.ts()
            && entry.ts() <= a.ts() + settings.admissionWindowMillis())
        .max(Comparator.comparingLong(Admission::ts));
    party.ifPresent(a -> {
      vacatedPlaces.computeIfPresent(a, (admission, places) -> places > 1 ? places - 1 : null);
      links.put(entry.track(), a);
      placeHolders.add(entry.track());
    });
    return party.map(a -> new PartyLink(entry.track(), a, ts));
  }

  /** Tells the listeners that {@code track} crossed {@code gate} with no party place left for it. */
  private void unadmittedEntry(Track track, Gate gate, long crossing) {
    if (!toldUnadmitted.add(track.id())) {
      return; // found again after it was lost, the same crossing: it was told already
    }
    recentAdmissions.removeIf(a -> a.ts() + settings.admissionWindowMillis() < crossing);
    Admission behind = null;
    for (Admission a : recentAdmissions) {
      if (a.gate().equals(gate.id()) && a.ts() <= crossing && (behind == null || a.ts() >= behind.ts())) {
        behind = a;
      }
    }
    UnadmittedEntry entry = new UnadmittedEntry(gate.id(), track.id(), crossing, behind);
    for (UnadmittedEntry.Listener listener : unadmittedEntryListeners) {
      listener.unadmittedEntry(entry);
    }
  }

  /** Whether the track, which appeared at the gate's line, has walked inward from there. */
  private boolean crossed(Track track, Gate gate, TrackPoint origin) {
    double bornDepth = depth(origin.position(), gate);
    double deepest = depth(track.position(), gate);
    for (TrackPoint point : track.history()) {
      deepest = Math.max(deepest, depth(point.position(), gate));
    }
    return deepest - bornDepth >= settings.lineBandMetres() / 2;
  }

  /** How far inside the floor a position is, measured from the floor's edge nearest the gate. */
  private double depth(Position p, Gate gate) {
    Position g = gate.position();
    double toLeft = g.x();
    double toRight = floor.widthMetres() - g.x();
    double toFront = g.y();
    double toBack = floor.depthMetres() - g.y();
    double nearest = Math.min(Math.min(toLeft, toRight), Math.min(toFront, toBack));
    if (nearest == toFront) {
      return p.y();
    } else if (nearest == toBack) {
      return floor.depthMetres() - p.y();
    } else if (nearest == toLeft) {
      return p.x();
    }
    return floor.widthMetres() - p.x();
  }

  /** The lost linked shopper nearest where a track appeared ({@code origin}) who could have walked there. */
  private Optional<Track> lostShopperReaching(TrackPoint origin) {
    Position born = origin.position();
    long bornTs = origin.ts();
    return lostTracks.values().stream()
        .filter(p -> links.containsKey(p.id()) && !continuedBy.containsKey(p.id()))
        .filter(p -> p.position().distanceTo(born) <= settings.continuationSlackMetres()
            + settings.continuationSpeed() * Math.max(0, bornTs - p.lastSeenTs()) / 1000.0)
        .min(Comparator.<Track>comparingDouble(p -> p.position().distanceTo(born)).thenComparing(Track::id));
  }

  private Outcome continuation(Track track, TrackPoint origin, long ts) {
    Position born = origin.position();
    long bornTs = origin.ts();
    Track best = null;
    Admission bestAdmission = null;
    double bestDistance = Double.MAX_VALUE;
    Map<TrackId, Double> candidates = new TreeMap<>();
    for (Track previous : lostTracks.values()) {
      Admission admission = links.get(previous.id());
      if (admission == null || continuedBy.containsKey(previous.id())) {
        continue;
      }
      double distance = previous.position().distanceTo(born);
      double reach = settings.continuationSlackMetres()
          + settings.continuationSpeed() * Math.max(0, bornTs - previous.lastSeenTs()) / 1000.0;
      if (distance > reach) {
        continue;
      }
      // Where the person may have walked while unseen: a spread that grows with the time lost.
      double spread = reach / 2;
      candidates.put(previous.id(), Math.exp(-distance * distance / (2 * spread * spread)) / (spread * spread));
      boolean closer = distance < bestDistance
          || (distance == bestDistance && best != null && previous.id().compareTo(best.id()) < 0);
      if (closer) {
        best = previous;
        bestAdmission = admission;
        bestDistance = distance;
      }
    }
    if (best == null || bestAdmission == null) {
      return new Unlinked();
    }
    continuedBy.put(best.id(), track.id());
    links.put(track.id(), bestAdmission);
    return new Continued(new PartyLink(track.id(), bestAdmission, ts), best.id(), candidates);
  }

  /**
   * Where and when the track's person is taken to have appeared: where it was born, unless that was away from every
   * entry gate and the track was then seen at an entry gate's line. A track can be born on a false detection (a
   * reflection, a shadow) that the person's real detections at the gate then continue; such a person came in
   * through the gate all the same.
   */
  private TrackPoint origin(Track track) {
    TrackPoint born = track.born();
    if (nearestEntry(born.position()).isPresent()) {
      return born;
    }
    for (TrackPoint point : track.history()) {
      Optional<Gate> gate = nearestEntry(point.position());
      if (gate.isPresent() && depth(point.position(), gate.get()) <= settings.lineBandMetres()) {
        return point;
      }
    }
    return born;
  }

  /** The tracker lost a track; a linked one may be continued later. */
  public void onLost(Track track) {
    if (links.containsKey(track.id())) {
      lostTracks.put(track.id(), track);
    }
  }

  /** The tracker found a lost track again under its own id. */
  public void onFound(Track track) {
    lostTracks.remove(track.id());
  }

  /** Closes the admission windows that have passed by {@code ts}. */
  public List<EntryWindowClosed> closeWindows(long ts) {
    List<EntryWindowClosed> closed = new ArrayList<>();
    for (Iterator<PendingAdmission> it = pending.iterator(); it.hasNext(); ) {
      PendingAdmission admission = it.next();
      if (admission.slotsLeft() == 0 || ts > admission.admission.ts() + settings.admissionWindowMillis()) {
        it.remove();
        closed.add(new EntryWindowClosed(admission.admission, admission.members, ts));
      }
    }
    return closed;
  }

  /**
   * Decides who walked out through {@code exit} at {@code ts}: the linked track nearest the gate, or else the
   * lost linked track that could have reached it. Nobody, when a track of no known party was clearly nearer the
   * gate than every linked one (its person left; which visit they belonged to is unknown).
   */
  public Optional<PartyLink> matchExit(Gate exit, long ts, Collection<Track> tracks) {
    Optional<Track> visible = nearestConfirmed(tracks, exit, true);
    Optional<Track> nearestUnlinked = nearestConfirmed(tracks, exit, false);
    if (visible.isPresent() && nearestUnlinked.isPresent()
        && nearestUnlinked.get().position().distanceTo(exit.position()) + CLEARLY_NEARER_METRES
            < visible.get().position().distanceTo(exit.position())) {
      // Someone whose track lost its party was at the gate, clearly nearer than any shopper of a known party: it
      // was most likely they who left, not the shopper behind them, whose visit must not end for it.
      return Optional.empty();
    }
    Optional<Track> chosen = visible.or(() -> lostTracks.values().stream()
        .filter(t -> !continuedBy.containsKey(t.id()) && links.containsKey(t.id()) && t.status() == TrackStatus.LOST)
        .filter(t -> t.position().distanceTo(exit.position())
            <= settings.continuationSlackMetres() + settings.continuationSpeed() * (ts - t.lastSeenTs()) / 1000.0)
        .min(nearestTo(exit)));
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    Track track = chosen.get();
    lostTracks.remove(track.id());
    Admission admission = links.get(track.id());
    return admission == null ? Optional.empty() : Optional.of(new PartyLink(track.id(), admission, ts));
  }

  /** The confirmed track, linked to a party or not, nearest {@code exit} within the exit radius. */
  private Optional<Track> nearestConfirmed(Collection<Track> tracks, Gate exit, boolean linked) {
    return tracks.stream()
        .filter(t -> t.status() == TrackStatus.CONFIRMED && links.containsKey(t.id()) == linked)
        .filter(t -> t.position().distanceTo(exit.position()) <= settings.exitRadiusMetres())
        .min(nearestTo(exit));
  }

  private static Comparator<Track> nearestTo(Gate exit) {
    return Comparator.<Track>comparingDouble(t -> t.position().distanceTo(exit.position())).thenComparing(Track::id);
  }

  /**
   * The other parties, still admitting at the same gate, that a track could as well have joined when it joined
   * its own (first come, first served decided); empty when the choice was clear.
   */
  public List<Admission> entryRivals(TrackId track) {
    return entryRivals.getOrDefault(track, List.of());
  }

  /** The admission of the party a track belongs to, if linked. */
  /** The entry time of the oldest visit a track is still linked to, if any. */
  public OptionalLong oldestLinkedEntry() {
    return links.values().stream().mapToLong(Admission::ts).min();
  }

  /** Every linked track with its party's admission. */
  public Map<TrackId, Admission> links() {
    return Collections.unmodifiableMap(links);
  }

  public Optional<Admission> admissionOf(TrackId track) {
    return Optional.ofNullable(links.get(track));
  }

  /**
   * The tracker merged {@code duplicate} into {@code survivor} (one person seen twice): a survivor without a party
   * takes the duplicate's. A place the duplicate took in its party when the survivor is linked already is vacated
   * ({@link #takeVacatedPlace}).
   */
  public void onMerged(TrackId duplicate, TrackId survivor) {
    atGate.removeIf(t -> t.id().equals(duplicate));
    lostTracks.remove(duplicate);
    Admission admission = links.remove(duplicate);
    List<Admission> rivals = entryRivals.remove(duplicate);
    boolean heldAPlace = placeHolders.remove(duplicate);
    if (admission == null) {
      return;
    }
    if (links.containsKey(survivor)) {
      if (heldAPlace) {
        vacatedPlaces.merge(admission, 1, Integer::sum);
      }
      return;
    }
    links.put(survivor, admission);
    if (heldAPlace) {
      placeHolders.add(survivor);
    }
    if (rivals != null) {
      entryRivals.put(survivor, rivals);
    }
    atGate.removeIf(t -> t.id().equals(survivor));
  }

  /** Exchanges the parties of two tracks whose people the tracker had swapped. */
  public void swap(TrackId first, TrackId second) {
    Admission a = links.get(first);
    Admission b = links.get(second);
    if (a == null || b == null) {
      return;
    }
    links.put(first, b);
    links.put(second, a);
    // The place a party's newcomer took goes with the party.
    boolean firstHeld = placeHolders.remove(first);
    if (placeHolders.remove(second)) {
      placeHolders.add(first);
    }
    if (firstHeld) {
      placeHolders.add(second);
    }
    List<Admission> rivalsA = entryRivals.remove(first);
    List<Admission> rivalsB = entryRivals.remove(second);
    if (rivalsB != null) {
      entryRivals.put(first, rivalsB);
    }
    if (rivalsA != null) {
      entryRivals.put(second, rivalsA);
    }
  }

  /** Forgets the links of a visit that has ended. */
  public void forgetVisit(Admission admission) {
    links.values().removeIf(a -> a.equals(admission));
    vacatedPlaces.remove(admission);
    placeHolders.removeIf(id -> !links.containsKey(id));
    lostTracks.keySet().removeIf(id -> !links.containsKey(id));
    continuedBy.keySet().removeIf(id -> !links.containsKey(id));
    entryRivals.keySet().removeIf(id -> !links.containsKey(id));
    atGate.removeIf(t -> !links.containsKey(t.id()) && t.status() != TrackStatus.CONFIRMED);
  }

  /**
   * The links, pending admissions, tracks held and places, as the vision stage's snapshot keeps them: in the order
   * this linker iterates them, admissions sealed. A track the tracker still holds ({@code held} gives this very
   * view) is kept by id; one it has forgotten, as the linker last saw it.
   */
  public PartyLinks export(SnapshotSeal seal, Function<TrackId, Optional<Track>> held) {
    PartyLinks.Builder kept = PartyLinks.newBuilder();
    Map<Admission, Integer> index = new HashMap<>();
    Function<Admission, Integer> ref = a -> index.computeIfAbsent(a, x -> {
      kept.addAdmissions(seal.seal(x));
      return index.size();
    });
    pending.forEach(p -> kept.addPending(PendingParty.newBuilder().setAdmission(ref.apply(p.admission))
        .setMembers(p.members)));
    atGate.forEach(t -> kept.addAtGate(trackRef(t, held)));
    links.forEach((track, a) -> kept.addLinks(TrackLink.newBuilder().setTrack(track.value())
        .setAdmission(ref.apply(a))));
    lostTracks.values().forEach(t -> kept.addLost(trackRef(t, held)));
    continuedBy.forEach((lost, by) -> kept.addContinuedBy(Continuation.newBuilder().setLost(lost.value())
        .setBy(by.value())));
    entryRivals.forEach((track, rivals) -> kept.addEntryRivals(RivalClaims.newBuilder().setTrack(track.value())
        .addAllAdmissions(rivals.stream().map(ref).toList())));
    recentAdmissions.forEach(a -> kept.addRecentAdmissions(ref.apply(a)));
    toldUnadmitted.forEach(t -> kept.addToldUnadmitted(t.value()));
    placeHolders.forEach(t -> kept.addPlaceHolders(t.value()));
    vacatedPlaces.forEach((a, places) -> kept.addVacatedPlaces(VacatedPlaces.newBuilder()
        .setAdmission(ref.apply(a)).setPlaces(places)));
    return kept.build();
  }

  private static TrackRef trackRef(Track track, Function<TrackId, Optional<Track>> held) {
    TrackRef.Builder ref = TrackRef.newBuilder().setId(track.id().value());
    if (held.apply(track.id()).filter(t -> t == track).isEmpty()) {
      FrozenTrack.Builder frozen = FrozenTrack.newBuilder().setStatus(track.status().name())
          .setBorn(TrackPointStates.state(track.born())).setX(track.position().x()).setY(track.position().y())
          .setLastSeen(track.lastSeenTs());
      track.history().forEach(p -> frozen.addHistory(TrackPointStates.state(p)));
      ref.setFrozen(frozen);
    }
    return ref.build();
  }

  /**
   * Replaces this linker's state by one {@linkplain #export exported}; {@code tracks} gives the views of the tracks
   * the (restored) tracker holds. Listeners are kept.
   *
   * @throws IllegalArgumentException if it cannot be read (an admission index, gate or track unknown)
   */
  public void restore(PartyLinks kept, SnapshotSeal seal, Function<TrackId, Optional<Track>> tracks) {
    List<Admission> admissions = kept.getAdmissionsList().stream().map(seal::open).toList();
    Function<Integer, Admission> admission = i -> {
      if (i < 0 || i >= admissions.size()) {
        throw new IllegalArgumentException("the linker's state refers to admission " + i + " of "
            + admissions.size());
      }
      return admissions.get(i);
    };
    List<PendingAdmission> restoredPending = new ArrayList<>();
    for (PendingParty p : kept.getPendingList()) {
      PendingAdmission party = new PendingAdmission(admission.apply(p.getAdmission()));
      party.members = p.getMembers();
      restoredPending.add(party);
    }
    List<Track> restoredAtGate = kept.getAtGateList().stream().map(r -> track(r, tracks)).toList();
    Map<TrackId, Admission> restoredLinks = new LinkedHashMap<>();
    kept.getLinksList().forEach(l -> restoredLinks.put(TrackId.of(l.getTrack()), admission.apply(l.getAdmission())));
    Map<TrackId, Track> restoredLost = new LinkedHashMap<>();
    kept.getLostList().forEach(r -> restoredLost.put(TrackId.of(r.getId()), track(r, tracks)));
    Map<TrackId, TrackId> restoredContinued = new LinkedHashMap<>();
    kept.getContinuedByList().forEach(c -> restoredContinued.put(TrackId.of(c.getLost()), TrackId.of(c.getBy())));
    Map<TrackId, List<Admission>> restoredRivals = new LinkedHashMap<>();
    kept.getEntryRivalsList().forEach(r -> restoredRivals.put(TrackId.of(r.getTrack()),
        r.getAdmissionsList().stream().map(admission).toList()));
    List<Admission> restoredRecent = kept.getRecentAdmissionsList().stream().map(admission).toList();
    Map<Admission, Integer> restoredVacated = new LinkedHashMap<>();
    kept.getVacatedPlacesList().forEach(v -> restoredVacated.put(admission.apply(v.getAdmission()), v.getPlaces()));

    pending.clear();
    pending.addAll(restoredPending);
    atGate.clear();
    atGate.addAll(restoredAtGate);
    links.clear();
    links.putAll(restoredLinks);
    lostTracks.clear();
    lostTracks.putAll(restoredLost);
    continuedBy.clear();
    continuedBy.putAll(restoredContinued);
    entryRivals.clear();
    entryRivals.putAll(restoredRivals);
    recentAdmissions.clear();
    recentAdmissions.addAll(restoredRecent);
    toldUnadmitted.clear();
    kept.getToldUnadmittedList().forEach(t -> toldUnadmitted.add(TrackId.of(t)));
    placeHolders.clear();
    kept.getPlaceHoldersList().forEach(t -> placeHolders.add(TrackId.of(t)));
    vacatedPlaces.clear();
    vacatedPlaces.putAll(restoredVacated);
  }

  private static Track track(TrackRef ref, Function<TrackId, Optional<Track>> tracks) {
    TrackId id = TrackId.of(ref.getId());
    if (!ref.hasFrozen()) {
      return tracks.apply(id).orElseThrow(() -> new IllegalArgumentException("the linker's state refers to track "
          + id + ", which the tracker does not hold"));
    }
    FrozenTrack f = ref.getFrozen();
    return new Frozen(id, TrackStatus.valueOf(f.getStatus()), TrackPointStates.point(f.getBorn()),
        new Position(f.getX(), f.getY()), f.getLastSeen(),
        f.getHistoryList().stream().map(TrackPointStates::point).toList());
  }

  /** A track the tracker has forgotten, as the linker last saw it: it changes no more. */
  private record Frozen(TrackId id, TrackStatus status, TrackPoint born, Position position, long lastSeenTs,
      List<TrackPoint> history) implements Track {}

  private Optional<Gate> nearestEntry(Position position) {
    return entryGates.stream()
        .filter(g -> g.position().distanceTo(position) <= settings.entryRadiusMetres())
        .min(Comparator.comparingDouble(g -> g.position().distanceTo(position)));
  }

  private final class PendingAdmission {
    final Admission admission;
    final Position gate;
    int members;

    PendingAdmission(Admission admission) {
      this.admission = admission;
      this.gate = entryGates.stream()
          .filter(g -> g.id().equals(admission.gate()))
          .findFirst()
          .map(Gate::position)
          .orElseThrow(() -> new IllegalArgumentException("admission at unknown entry gate " + admission.gate()));
    }

    int slotsLeft() {
      return admission.partySize() - members;
    }

    PartyLink link(Track track, long ts) {
      members++;
      links.put(track.id(), admission);
      placeHolders.add(track.id());
      return new PartyLink(track.id(), admission, ts);
    }
  }
}
