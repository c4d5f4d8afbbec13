package dev.jwo.vision.linking;

import dev.jwo.core.Gate;
import dev.jwo.core.GateKind;
import dev.jwo.core.Position;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.visit.Admission;
import dev.jwo.vision.Track;
import dev.jwo.vision.TrackStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides which party each track belongs to. A track first seen near an entry gate, shortly before or after a
 * credential was accepted there, joins that party (first come, first served, up to the party's size). A track
 * first seen elsewhere continues the nearest lost track of a party that it could have walked from. At an exit,
 * the linked track nearest the gate is the one that left. Deterministic; called from the pipeline thread.
 */
public final class PartyLinker {
  private final LinkerSettings settings;
  private final List<Gate> entryGates;
  private final List<PendingAdmission> pending = new ArrayList<>();
  /** Confirmed tracks first seen near an entry gate that no admission has claimed yet. */
  private final List<Track> waiting = new ArrayList<>();
  private final Map<TrackId, Admission> links = new HashMap<>();
  /** Linked tracks the tracker has lost, by id. */
  private final Map<TrackId, Track> lostTracks = new HashMap<>();
  /** Lost tracks whose person was found again on a new track. */
  private final Map<TrackId, TrackId> continuedBy = new HashMap<>();
  /** Tracks whose party was not the only one that could have claimed them, with the other candidates. */
  private final Map<TrackId, List<Admission>> entryRivals = new HashMap<>();

  public PartyLinker(StoreLayout layout, LinkerSettings settings) {
    this.settings = settings;
    this.entryGates = layout.gates().stream().filter(g -> g.kind() == GateKind.ENTRY).toList();
  }

  /** A party was admitted; returns the tracks already waiting at its gate that join it. */
  public List<PartyLink> admit(Admission admission) {
    PendingAdmission entry = new PendingAdmission(admission);
    pending.add(entry);
    List<PartyLink> linked = new ArrayList<>();
    for (Iterator<Track> it = waiting.iterator(); it.hasNext() && entry.slotsLeft() > 0; ) {
      Track track = it.next();
      if (entry.accepts(track)) {
        it.remove();
        linked.add(entry.link(track, admission.ts()));
      }
    }
    return linked;
  }

  /** Result of considering a newly confirmed track. */
  public sealed interface Outcome permits Joined, Continued, Unlinked {}

  /** The track joined an admitted party at the entry gate. */
  public record Joined(PartyLink link) implements Outcome {}

  /** The track continues the lost track {@code previous} of the same party. */
  public record Continued(PartyLink link, TrackId previous) implements Outcome {}

  /** The track belongs to no party (yet). */
  public record Unlinked() implements Outcome {}

  /** Considers a track the tracker has just confirmed (or found again). */
  public Outcome onConfirmed(Track track, long ts) {
    if (links.containsKey(track.id())) {
      return new Unlinked();
    }
    Optional<Gate> entry = nearestEntry(track.born().position());
    if (entry.isPresent()) {
      List<PendingAdmission> accepting = pending.stream()
          .filter(admission -> admission.slotsLeft() > 0 && admission.accepts(track))
          .toList();
      if (!accepting.isEmpty()) {
        List<Admission> rivals = accepting.subList(1, accepting.size()).stream().map(a -> a.admission).toList();
        if (!rivals.isEmpty()) {
          entryRivals.put(track.id(), rivals);
        }
        return new Joined(accepting.get(0).link(track, ts));
      }
      waiting.add(track);
      return new Unlinked();
    }
    return continuation(track, ts);
  }

  private Outcome continuation(Track track, long ts) {
    Position born = track.born().position();
    long bornTs = track.born().ts();
    Track best = null;
    Admission bestAdmission = null;
    double bestDistance = Double.MAX_VALUE;
    for (Track previous : lostTracks.values()) {
      Admission admission = links.get(previous.id());
      if (admission == null || continuedBy.containsKey(previous.id())) {
        continue;
      }
      double distance = previous.position().distanceTo(born);
      double reach = settings.continuationSlackMetres()
          + settings.continuationSpeed() * Math.max(0, bornTs - previous.lastSeenTs()) / 1000.0;
      boolean closer = distance < bestDistance
          || (distance == bestDistance && best != null && previous.id().compareTo(best.id()) < 0);
      if (distance <= reach && closer) {
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
    return new Continued(new PartyLink(track.id(), bestAdmission, ts), best.id());
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
    waiting.removeIf(t -> t.born().ts() < ts - settings.earlyMillis() - settings.admissionWindowMillis()
        || t.status() != TrackStatus.CONFIRMED);
    return closed;
  }

  /**
   * Decides who walked out through {@code exit} at {@code ts}: the linked track nearest the gate, or else the
   * lost linked track that could have reached it.
   */
  public Optional<PartyLink> matchExit(Gate exit, long ts, Collection<Track> tracks) {
    Comparator<Track> nearest = Comparator.<Track>comparingDouble(t -> t.position().distanceTo(exit.position()))
        .thenComparing(Track::id);
    Optional<Track> visible = tracks.stream()
        .filter(t -> t.status() == TrackStatus.CONFIRMED && links.containsKey(t.id()))
        .filter(t -> t.position().distanceTo(exit.position()) <= settings.exitRadiusMetres())
        .min(nearest);
    Optional<Track> chosen = visible.or(() -> lostTracks.values().stream()
        .filter(t -> !continuedBy.containsKey(t.id()) && links.containsKey(t.id()) && t.status() == TrackStatus.LOST)
        .filter(t -> t.position().distanceTo(exit.position())
            <= settings.continuationSlackMetres() + settings.continuationSpeed() * (ts - t.lastSeenTs()) / 1000.0)
        .min(nearest));
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    Track track = chosen.get();
    lostTracks.remove(track.id());
    Admission admission = links.get(track.id());
    return admission == null ? Optional.empty() : Optional.of(new PartyLink(track.id(), admission, ts));
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

  public Optional<Admission> admissionOf(TrackId track) {
    return Optional.ofNullable(links.get(track));
  }

  /** Forgets the links of a visit that has ended. */
  public void forgetVisit(Admission admission) {
    links.values().removeIf(a -> a.equals(admission));
    lostTracks.keySet().removeIf(id -> !links.containsKey(id));
    continuedBy.keySet().removeIf(id -> !links.containsKey(id));
    entryRivals.keySet().removeIf(id -> !links.containsKey(id));
  }

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

    boolean accepts(Track track) {
      long born = track.born().ts();
      return track.born().position().distanceTo(gate) <= settings.entryRadiusMetres()
          && born >= admission.ts() - settings.earlyMillis()
          && born <= admission.ts() + settings.admissionWindowMillis();
    }

    PartyLink link(Track track, long ts) {
      members++;
      links.put(track.id(), admission);
      return new PartyLink(track.id(), admission, ts);
    }
  }
}
