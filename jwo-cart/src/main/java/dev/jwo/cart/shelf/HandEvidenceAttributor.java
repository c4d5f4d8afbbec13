package dev.jwo.cart.shelf;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Point3;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Gives each shelf event a probability per candidate visit from every hand sighting during the load change, from
 * all cameras, not from one nearest sighting.
 *
 * <p>Each sighting gets a likelihood that the hand was inside this bin: near its front (anywhere along its width,
 * with {@link AttributionSettings#inBinSigmaMetres()} of spread) and nearer to it than to any neighbouring bin. A
 * track's evidence is the sum of that likelihood over time slots (one per slot, however many cameras saw it), in full
 * around the moment the load began to change and less while reaching in or leaving; the track whose hand was in
 * the bin first gets a little more. The tracks' evidence becomes probabilities by a softmax that also holds
 * somebody unseen; each track's share is then spread over the visits its person may belong to
 * ({@link ShopperLocator#visitsOf}), so that doubt about a track's label lowers the line's probability and hands of
 * two members of one party add up instead of competing.
 */
public final class HandEvidenceAttributor implements PickAttributor {
  /** Bins whose fronts are within this distance are neighbours whose hands may be confused. */
  private static final double NEIGHBOUR_METRES = 1.0;
  /** How sharply a hand between two bins is given to the nearer one (metres of difference per unit of log-odds). */
  private static final double BOUNDARY_METRES = 0.03;

  private final ShelfSettings shelf;
  private final AttributionSettings settings;
  private final Map<BinId, List<Bin>> neighbours = new HashMap<>();

  @Inject
  public HandEvidenceAttributor(StoreLayout layout, ShelfSettings shelf, AttributionSettings settings) {
    this(layout.bins(), shelf, settings);
  }

  /** An attributor that knows only {@code bins} as each other's neighbours. */
  public HandEvidenceAttributor(Collection<Bin> bins, ShelfSettings shelf, AttributionSettings settings) {
    this.shelf = shelf;
    this.settings = settings;
    for (Bin bin : bins) {
      List<Bin> near = new ArrayList<>();
      for (Bin other : bins) {
        if (!other.id().equals(bin.id()) && other.front().distanceTo(bin.front()) <= NEIGHBOUR_METRES) {
          near.add(other);
        }
      }
      neighbours.put(bin.id(), near);
    }
  }

  @Override
  public Attribution attribute(ShelfEvent event, Bin bin, ShopperLocator hands) {
    double radius = Math.max(shelf.handRadiusMetres(), bin.widthMetres() / 2 + 0.25);
    long from = event.startTs() - shelf.handLeadMillis();
    long to = event.endTs() + shelf.handLagMillis();
    List<HandSighting> sightings = hands.handsNear(bin.front(), radius, from, to);
    if (sightings.isEmpty()) {
      return Attribution.nobody("no hand was seen near bin " + bin.id() + " while its load changed");
    }
    Map<TrackId, TrackEvidence> tracks = new TreeMap<>();
    for (HandSighting s : sightings) {
      TrackEvidence evidence = tracks.computeIfAbsent(s.track(), TrackEvidence::new);
      double reach = inBin(s.hand(), bin);
      evidence.label = s.visit();
      evidence.nearest = Math.min(evidence.nearest, s.hand().distanceTo(bin.front()));
      evidence.slots.merge(Math.floorDiv(s.ts() - from, settings.slotMillis()), reach, Math::max);
      if (reach >= 0.5 && evidence.firstInBin == null) {
        evidence.firstInBin = s.ts();
      }
    }
    List<TrackEvidence> candidates = new ArrayList<>();
    TrackEvidence first = null;
    for (TrackEvidence evidence : tracks.values()) {
      double best = 0;
      double score = 0;
      for (Map.Entry<Long, Double> slot : evidence.slots.entrySet()) {
        long mid = from + slot.getKey() * settings.slotMillis() + settings.slotMillis() / 2;
        double weight = Math.abs(mid - event.startTs()) <= settings.coreMillis() ? 1 : settings.outsideCoreWeight();
        score += weight * slot.getValue();
        best = Math.max(best, slot.getValue());
        if (slot.getValue() >= 0.5) {
          evidence.inBinMillis += settings.slotMillis();
        }
      }
      if (best < settings.minReach()) {
        continue;
      }
      evidence.logOdds = settings.evidenceScale() * saturated(score, settings.saturationSlots());
      candidates.add(evidence);
      if (evidence.firstInBin != null && (first == null || first.firstInBin == null
          || evidence.firstInBin < first.firstInBin)) {
        first = evidence;
      }
    }
    if (candidates.isEmpty()) {
      return Attribution.nobody(String.format(Locale.ROOT, "no hand reached into bin %s while its load changed"
          + " (nearest %.2f m)", bin.id(), tracks.values().stream().mapToDouble(e -> e.nearest).min().orElse(0)));
    }
    if (first != null && candidates.size() > 1) {
      first.logOdds += settings.firstReachBonus();
      first.first = true;
    }
    double max = settings.unseenLogWeight();
    for (TrackEvidence e : candidates) {
      max = Math.max(max, e.logOdds);
    }
    double sum = Math.exp(settings.unseenLogWeight() - max);
    for (TrackEvidence e : candidates) {
      sum += Math.exp(e.logOdds - max);
    }
    Map<VisitId, Double> byVisit = new TreeMap<>();
    Map<VisitId, List<TrackId>> tracksByVisit = new TreeMap<>();
    Map<VisitId, StringBuilder> evidenceByVisit = new TreeMap<>();
    StringBuilder unnamed = new StringBuilder();
    List<Attribution.Hand> seen = new ArrayList<>();
    for (TrackEvidence e : candidates) {
      double p = Math.exp(e.logOdds - max) / sum;
      String words = e.describe(p);
      Map<VisitId, Double> visits = hands.visitsOf(e.track, e.label, event.startTs());
      VisitId likeliest = null;
      double likeliestP = 0;
      double named = 0;
      for (Map.Entry<VisitId, Double> v : new TreeMap<>(visits).entrySet()) {
        if (v.getValue() > likeliestP) {
          likeliest = v.getKey();
          likeliestP = v.getValue();
        }
        named += v.getValue();
        byVisit.merge(v.getKey(), p * v.getValue(), Double::sum);
        tracksByVisit.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(e.track);
        StringBuilder text = evidenceByVisit.computeIfAbsent(v.getKey(), k -> new StringBuilder());
        text.append(text.length() == 0 ? "" : "; ").append(words);
        if (v.getValue() < 1) {
          text.append(String.format(Locale.ROOT, ", labelled %s with p %.2f", v.getKey(), v.getValue()));
        }
      }
      seen.add(new Attribution.Hand(e.track, Math.min(1, p), e.inBinMillis, likeliest, Math.min(1, likeliestP)));
      if (named < 1 - 1e-9) {
        unnamed.append(unnamed.length() == 0 ? "" : "; ").append(words)
            .append(e.label == null ? ", unidentified" : String.format(Locale.ROOT, ", p %.2f of another visit",
                1 - named));
      }
    }
    List<Attribution.Candidate> result = new ArrayList<>();
    for (Map.Entry<VisitId, Double> v : byVisit.entrySet()) {
      result.add(new Attribution.Candidate(v.getKey(), Math.min(1, v.getValue()),
          tracksByVisit.getOrDefault(v.getKey(), List.of()),
          String.valueOf(evidenceByVisit.getOrDefault(v.getKey(), new StringBuilder()))));
    }
    double total = result.stream().mapToDouble(Attribution.Candidate::probability).sum();
    if (total > 1) {
      List<Attribution.Candidate> scaled = new ArrayList<>();
      for (Attribution.Candidate c : result) {
        scaled.add(new Attribution.Candidate(c.visit(), c.probability() / total, c.tracks(), c.evidence()));
      }
      result = scaled;
    }
    Attribution.Candidate best = result.stream()
        .max((a, b) -> a.probability() != b.probability() ? Double.compare(a.probability(), b.probability())
            : b.visit().compareTo(a.visit()))
        .orElse(null);
    String others = unnamed.length() == 0 ? "" : "; nobody named: " + unnamed;
    if (best == null) {
      return new Attribution(null, false, "only the hands of unidentified people reached into bin " + bin.id()
          + ": " + unnamed, List.of(), seen);
    }
    boolean confident = best.probability() >= settings.confidentProbability();
    StringBuilder explanation = new StringBuilder(String.format(Locale.ROOT, "bin %s: %s p %.3f (%s)",
        bin.id(), best.visit(), best.probability(), best.evidence()));
    for (Attribution.Candidate c : result) {
      if (!c.visit().equals(best.visit())) {
        explanation.append(String.format(Locale.ROOT, "; %s p %.3f (%s)", c.visit(), c.probability(), c.evidence()));
      }
    }
    explanation.append(others);
    return new Attribution(best.visit(), confident, explanation.toString(), result, seen);
  }

  /**
   * Slots of evidence counted in full up to half the saturation, then less and less, never beyond the saturation
   * (continuous, with slope 1 at the knee).
   */
  static double saturated(double slots, double saturation) {
    double knee = saturation / 2;
    return slots <= knee ? slots : knee + knee * (1 - Math.exp(-(slots - knee) / knee));
  }

  /** How likely a hand seen at {@code hand} was inside {@code bin} (0 to 1). */
  double inBin(Point3 hand, Bin bin) {
    double excess = hand.distanceTo(bin.front()) - bin.widthMetres() / 2;
    double sigma = settings.inBinSigmaMetres();
    double beyond = Math.max(0, excess);
    double likelihood = Math.exp(-beyond * beyond / (2 * sigma * sigma));
    for (Bin other : neighbours.getOrDefault(bin.id(), List.of())) {
      double otherExcess = hand.distanceTo(other.front()) - other.widthMetres() / 2;
      likelihood *= 1 / (1 + Math.exp((excess - otherExcess) / BOUNDARY_METRES));
    }
    return likelihood;
  }

  /** What one track's hands did at the bin. */
  private static final class TrackEvidence {
    final TrackId track;
    final Map<Long, Double> slots = new TreeMap<>();
    @Nullable VisitId label;
    double nearest = Double.MAX_VALUE;
    @Nullable Long firstInBin;
    long inBinMillis;
    double logOdds;
    boolean first;

    TrackEvidence(TrackId track) {
      this.track = track;
    }

    String describe(double p) {
      return String.format(Locale.ROOT, "track %s p %.3f: hand in the bin %.1f s, nearest %.2f m%s",
          track, p, inBinMillis / 1000.0, nearest, first ? ", first in" : "");
    }
  }
}
