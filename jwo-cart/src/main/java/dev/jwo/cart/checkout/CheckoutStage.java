package dev.jwo.cart.checkout;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.DecisionTrace;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.cart.ledger.Cart;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.ledger.CartLine;
import dev.jwo.cart.session.Session;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.visit.DoubtfulLine;
import dev.jwo.core.visit.LineItem;
import dev.jwo.core.visit.VisitOutcome;
import dev.jwo.core.visit.VisitSettlement;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks out ended visits once the grace period after the last exit has passed, receipt by receipt: a visit is
 * charged when the probability that its whole receipt is right ({@link ReceiptProbability}, from the shelf events it
 * depends on) reaches {@link CheckoutSettings#chargeThreshold()}; otherwise it is held for review with the lines in
 * doubt, each with its alternatives. A doubt about the visit's movements multiplies that probability by the chance
 * that tracking was right despite it ({@link Session#movementProbability()}): an exit on a track that belongs to
 * the visit with some probability by that probability, a doubt nobody could weigh (a member never seen, an exit
 * nobody could be matched to) by one half, so that it always holds the visit.
 * When a replay ends, visits still in the store are reported open.
 */
@Singleton
public final class CheckoutStage implements SensorEventHandler {
  /** A doubtful line's reason is cut at this many characters; its start names the product and the hands weighed. */
  static final int MAX_REASON_CHARS = 2_000;
  /** A held receipt's reasons together stay within this many characters (see {@link #reasons}). */
  static final int MAX_REASONS_CHARS = 200_000;
  private final SessionRegistry sessions;
  private final CartLedger ledger;
  private final VisitSettlement settlement;
  private final ReviewQueue reviews;
  private final CheckoutSettings settings;
  private final MeterRegistry registry;
  private final ReceiptBeliefs beliefs;
  private final DecisionTrace trace;

  @Inject
  public CheckoutStage(
      SessionRegistry sessions,
      CartLedger ledger,
      VisitSettlement settlement,
      ReviewQueue reviews,
      CheckoutSettings settings,
      MeterRegistry registry,
      ReceiptBeliefs beliefs,
      DecisionTrace trace) {
    this.sessions = sessions;
    this.ledger = ledger;
    this.settlement = settlement;
    this.reviews = reviews;
    this.settings = settings;
    this.registry = registry;
    this.beliefs = beliefs;
    this.trace = trace;
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.CHECKOUT;
  }

  @Override
  public void onEvent(SensorEvent event) {}

  /** Holds nothing of its own: which visits to settle comes from the sessions. */
  @Override
  public long needsInputSince(long ts) {
    return ts;
  }

  @Override
  public void onTimeAdvanced(long ts) {
    for (Session session : sessions.endedBy(ts - settings.graceMillis())) {
      settle(session, ts);
    }
  }

  @Override
  public void onEndOfStream(long ts) {
    for (Session session : sessions.endedBy(Long.MAX_VALUE)) {
      settle(session, ts);
    }
    for (Session session : sessions.inStore()) {
      Cart cart = ledger.open(session.admission().visitId());
      VisitOutcome outcome = new VisitOutcome(
          session.admission(), ReceiptStatus.OPEN, items(cart), null, ts, List.of("the visit had not ended"));
      trace.receiptDecided(outcome);
      settlement.settle(outcome);
      registry.counter("jwo.checkout.visits", "decision", "open").increment();
    }
  }

  private void settle(Session session, long ts) {
    VisitId visit = session.admission().visitId();
    Cart cart = ledger.open(visit);
    Map<Sku, Integer> drawn = new TreeMap<>();
    cart.lines().forEach(line -> drawn.put(line.sku(), line.quantity()));
    ReceiptProbability.Result receipt = receiptProbability(visit, drawn);
    List<String> doubts = new ArrayList<>(session.doubts());
    double probability = receipt.probability() * session.movementProbability();
    ReceiptStatus decision = probability >= settings.chargeThreshold() ? ReceiptStatus.CHARGED : ReceiptStatus.REVIEW;
    List<DoubtfulLine> lines = decision == ReceiptStatus.REVIEW ? receipt.doubtful() : List.of();
    if (decision == ReceiptStatus.REVIEW) {
      doubts.addAll(reasons(lines));
      if (doubts.isEmpty()) {
        doubts.add(String.format(Locale.ROOT, "the receipt is right with probability %.3f only", probability));
      }
    }
    VisitOutcome outcome = new VisitOutcome(
        session.admission(), decision, items(cart), session.exitTs(), ts, doubts, probability, lines);
    if (decision == ReceiptStatus.REVIEW) {
      reviews.hold(outcome);
    }
    trace.receiptDecided(outcome);
    settlement.settle(outcome);
    beliefs.forget(visit);
    sessions.markSettled(visit);
    registry.counter("jwo.checkout.visits", "decision", decision.name().toLowerCase(Locale.ROOT)).increment();
  }

  /**
   * Weighs the shelf events the visit's receipt depends on. Ledger entries that no shelf event's belief explains
   * (written by other means) count as certain when confident, else as a toss-up.
   */
  private ReceiptProbability.Result receiptProbability(VisitId visit, Map<Sku, Integer> drawn) {
    List<ShelfEventBelief> events = new ArrayList<>(beliefs.of(visit));
    List<String> covered = new ArrayList<>();
    for (ShelfEventBelief event : events) {
      ShelfEventBelief.Outcome chosen = event.chosen();
      if (chosen != null && chosen.charges(visit)) {
        covered.add(event.event().endTs() + "/" + event.event().bin() + "/" + chosen.sku() + "/" + chosen.quantity());
      }
    }
    Map<Sku, Integer> known = new TreeMap<>();
    for (CartEntry entry : ledger.ledger(visit)) {
      if (covered.remove(entry.ts() + "/" + entry.bin() + "/" + entry.sku() + "/" + entry.quantityDelta())) {
        continue;
      }
      if (entry.confident()) {
        known.merge(entry.sku(), entry.quantityDelta(), Integer::sum);
      } else {
        ShelfEventBelief.Outcome outcome =
            new ShelfEventBelief.Outcome(visit, entry.sku(), entry.quantityDelta(), Attribution.UNSURE);
        events.add(new ShelfEventBelief(new ShelfEvent(entry.bin(), entry.ts(), entry.ts(), 0),
            List.of(outcome), outcome, List.of(), entry.explanation()));
      }
    }
    return ReceiptProbability.of(visit, known, drawn, events);
  }

  /**
   * The doubtful lines in words ({@link #describe}), in their order, each cut at {@link #MAX_REASON_CHARS}; where
   * together they would pass {@link #MAX_REASONS_CHARS}, the most doubtful are kept and the rest counted in a last
   * reason, so that a receipt held with its reasons can always be stored and served (a visit of a crowded store can
   * be in doubt over hundreds of shelf events). The decision trace keeps every line in full.
   */
  static List<String> reasons(List<DoubtfulLine> lines) {
    List<String> described = new ArrayList<>();
    for (DoubtfulLine line : lines) {
      String reason = describe(line);
      described.add(reason.length() <= MAX_REASON_CHARS ? reason
          : reason.substring(0, MAX_REASON_CHARS - 3) + "...");
    }
    List<Integer> mostDoubtfulFirst = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      mostDoubtfulFirst.add(i);
    }
    mostDoubtfulFirst.sort(Comparator.comparingDouble((Integer i) -> lines.get(i).probability())
        .thenComparingInt(i -> i));
    Set<Integer> kept = new TreeSet<>();
    int length = 0;
    for (int i : mostDoubtfulFirst) {
      if (length + described.get(i).length() > MAX_REASONS_CHARS) {
        break;
      }
      kept.add(i);
      length += described.get(i).length();
    }
    List<String> reasons = new ArrayList<>();
    kept.forEach(i -> reasons.add(described.get(i)));
    if (kept.size() < lines.size()) {
      reasons.add(String.format(Locale.ROOT, "%d less doubtful lines are not listed here; the decision trace has"
          + " every line", lines.size() - kept.size()));
    }
    return reasons;
  }

  /**
   * One line of doubt, in words, for a reviewer: the shelf event (bin and time), what this visit was given and the
   * alternatives with their probabilities, the tracks whose hands were in the bin, and the evidence weighed.
   */
  static String describe(DoubtfulLine line) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "bin %s at %d: %s with p %.3f",
        line.bin(), line.ts(), line.quantity() == 0 ? "nothing for this visit"
            : (line.quantity() > 0 ? "took " : "put back ") + Math.abs(line.quantity()) + " x " + line.sku(),
        line.probability()));
    for (DoubtfulLine.Alternative a : line.alternatives()) {
      s.append(String.format(Locale.ROOT, "; or %s %s p %.3f", a.visit(),
          a.sku() == null ? "(no product named)" : a.quantity() + " x " + a.sku(), a.probability()));
    }
    if (!line.tracks().isEmpty()) {
      s.append("; tracks ").append(line.tracks().stream().map(TrackId::value).collect(Collectors.joining(", ")));
    }
    if (!line.evidence().isBlank()) {
      s.append("; evidence: ").append(line.evidence());
    }
    return s.toString();
  }

  private static List<LineItem> items(Cart cart) {
    List<LineItem> items = new ArrayList<>();
    for (CartLine line : cart.lines()) {
      items.add(new LineItem(line.sku(), line.quantity(), line.unitPrice()));
    }
    return items;
  }
}
