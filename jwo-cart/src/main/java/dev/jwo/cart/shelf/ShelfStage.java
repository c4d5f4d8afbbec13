package dev.jwo.cart.shelf;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.cart.Attribution;
import dev.jwo.cart.DecisionTrace;
import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventBelief;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.cart.ShelfStockListener;
import dev.jwo.cart.checkout.ReceiptBeliefs;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.session.Session;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.session.SessionState;
import dev.jwo.cart.v1.ChargedPutBackState;
import dev.jwo.cart.v1.KeyedBeliefs;
import dev.jwo.cart.v1.ShelvesState;
import dev.jwo.cart.v1.VisitCart;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.SnapshotPart;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.SnapshotStage;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The shelf stage of the pipeline: weight readings become shelf events ({@link ShelfEventDetector}), each gets a
 * probability per candidate visit ({@link PickAttributor}) and per product ({@link ProductResolver}: for a removal
 * against what the bin holds, for a put-back against what that visit carries, with a prior for the bin's own
 * product). The most likely explanation is appended to that visit's cart ledger, and the whole belief is kept for
 * the checkout of every visit it may concern ({@link ReceiptBeliefs}) and told to the {@link DecisionTrace}.
 */
@Singleton
public final class ShelfStage implements SensorEventHandler, SnapshotStage {
  /**
   * The probability that one of the visits nearby made a shelf event nobody could be given, if a unit moved, shared
   * among them.
   */
  private static final double ORPHAN_SHARE = 0.5;
  /**
   * How much less likely a visit nearby all of whose members were tracked made a shelf event nobody could be given
   * than a visit nearby one of whose members no track carried then (the unidentified hands are likelier that
   * member's than a duplicate of a tracked shopper).
   */
  private static final double BYSTANDER_WEIGHT = 0.02;
  /** Radius within which visits are told about a shelf event nobody could be given. */
  private static final double NEARBY_METRES = 1.5;
  /** Candidate visits less likely than this are left out of an event's belief. */
  private static final double MIN_CANDIDATE = 1e-4;
  /** A cart entry at least this probable is marked confident (for people watching the cart). */
  private static final double CONFIDENT = 0.95;
  /** A hand within this distance beyond a bin's half width counts as in the bin. */
  private static final double IN_BIN_SLACK_METRES = 0.15;
  /** How long after a change no product explains a change undoing it is looked for. */
  private static final long PAIR_WINDOW_MILLIS = 60_000;
  /** How long after a change no product explains a later removal may complete it (see {@link #completing}). */
  private static final long COMPLETE_WINDOW_MILLIS = 10_000;
  /** How well (z-score) two changes together must fit units of the bin's contents to be taken as one removal. */
  private static final double COMPLETE_Z = 2.0;
  /** By how much better (z-score) than the later change alone two changes together must fit to be one removal. */
  private static final double COMPLETE_MARGIN_Z = 1.5;
  /** How many standard deviations of the load cells' noise two changes that undo each other may differ by. */
  private static final double PAIR_Z = 3.0;
  /** How much input a restart replays for the load cells. */
  private static final long SHELF_HISTORY_MILLIS = 120_000;
  /**
   * The probability that a removal of several units, with hands of several visits' people each in the bin long
   * enough to take one, was those people each taking some. In the busy and normal presets (seeds 1 to 3) such
   * removals were shared 7 times in 9.
   */
  static final double SHARED_TAKE = 0.75;
  /** A hand in the bin at least this long, during a removal of several units, may have taken one of them. */
  static final long SHARED_TAKE_IN_BIN_MILLIS = 1_000;
  /** A hand at least this likely to have made a removal alone may, in a removal of several units, have made part. */
  static final double SHARED_TAKE_HAND = 0.1;
  /** A hand is counted as its visit's for a shared removal only if its track is that visit's at least this surely. */
  static final double SHARED_TAKE_LABEL = 0.9;

  private final StoreLayout layout;
  private final ShelfEventDetector detector;
  private final ProductResolver resolver;
  private final PickAttributor attributor;
  private final ShopperLocator locator;
  private final CartLedger ledger;
  private final SessionRegistry sessions;
  private final MeterRegistry registry;
  private final BinInventory inventory;
  private List<ShelfStockListener> stockListeners = List.of();
  private final ReceiptBeliefs beliefs;
  private final DecisionTrace trace;
  private final ShelfSettings settings;
  /** Recent changes no product explained, per bin, that a later change may undo. */
  private final Map<BinId, List<ShelfEventBelief>> unexplained = new HashMap<>();
  /** Put-backs charged in the last {@link #COMPLETE_WINDOW_MILLIS}, by bin: a removal may show one was a press. */
  private final Map<BinId, List<ChargedPutBack>> chargedPutBacks = new HashMap<>();

  @Inject
  public ShelfStage(
      StoreLayout layout,
      ShelfEventDetector detector,
      ProductResolver resolver,
      PickAttributor attributor,
      ShopperLocator locator,
      CartLedger ledger,
      SessionRegistry sessions,
      MeterRegistry registry,
      ReceiptBeliefs beliefs,
      DecisionTrace trace,
      ShelfSettings settings) {
    this.layout = layout;
    this.detector = detector;
    this.resolver = resolver;
    this.attributor = attributor;
    this.locator = locator;
    this.ledger = ledger;
    this.sessions = sessions;
    this.registry = registry;
    this.inventory = new BinInventory(layout);
    this.beliefs = beliefs;
    this.trace = trace;
    this.settings = settings;
  }

  /** Whoever follows the bins' contents (the store's live inventory). */
  @Inject
  void stockListeners(Set<ShelfStockListener> listeners) {
    stockListeners = List.copyOf(listeners);
  }

  @Override
  public PipelineStage stage() {
    return PipelineStage.SHELVES;
  }

  /**
   * Load cells relearn their level from a couple of minutes of readings. What bins hold beyond their own product
   * (units put back into the wrong bin) is not carried across a restart: it is forgotten for changes older than that.
   */
  @Override
  public long needsInputSince(long ts) {
    return ts - SHELF_HISTORY_MILLIS;
  }

  @Override
  public String snapshotName() {
    return "shelves";
  }

  @Override
  public int snapshotVersion() {
    return 1;
  }

  /** Snapshots need the detector's state: the default detector exports it, a retailer's may not. */
  @Override
  public boolean canSnapshot() {
    return detector instanceof SnapshotPart;
  }

  /**
   * The detector's state, what bins hold, changes a later one may undo or complete (put-backs that may prove to be
   * a press among them), and, for every visit not yet settled, its
   * cart ledger and the beliefs its checkout will weigh.
   */
  @Override
  public ByteString exportState(SnapshotSeal seal) {
    if (!(detector instanceof SnapshotPart part)) {
      throw new IllegalStateException("the shelf event detector " + detector.getClass().getName()
          + " cannot export its state");
    }
    ShelvesState.Builder state = ShelvesState.newBuilder()
        .addAllInventory(inventory.export())
        .setDetectorVersion(part.snapshotVersion())
        .setDetector(part.exportState(seal));
    new TreeMap<>(unexplained).forEach((bin, pending) -> state.addUnexplained(keyed(bin.value(), pending)));
    new TreeMap<>(chargedPutBacks).forEach((bin, recent) -> recent.forEach(put -> state.addChargedPutBacks(
        ChargedPutBackState.newBuilder().setBelief(ShelfStates.belief(put.belief())).setVisit(put.visit().value())
            .setSku(put.sku().value()).setQuantity(put.quantity())
            .setStocked(put.stocked() == null ? "" : put.stocked().value()))));
    beliefs.all().forEach((visit, events) -> state.addReceiptBeliefs(keyed(visit.value(), events)));
    for (Session session : sessions.sessions()) {
      VisitId visit = session.admission().visitId();
      if (session.state() == SessionState.SETTLED || ledger.cart(visit).isEmpty()) {
        continue;
      }
      VisitCart.Builder cart = VisitCart.newBuilder().setVisit(visit.value());
      ledger.ledger(visit).forEach(e -> cart.addEntries(CartLedger.encode(e)));
      state.addCarts(cart);
    }
    return state.build().toByteString();
  }

  private static KeyedBeliefs keyed(String key, List<ShelfEventBelief> events) {
    KeyedBeliefs.Builder kept = KeyedBeliefs.newBuilder().setKey(key);
    events.forEach(b -> kept.addBeliefs(ShelfStates.belief(b)));
    return kept.build();
  }

  private static List<ShelfEventBelief> beliefsOf(KeyedBeliefs kept) {
    return kept.getBeliefsList().stream().map(ShelfStates::belief).toList();
  }

  /** Takes the state of a snapshot; the cart ledgers' entries are in the journal already and are not written. */
  @Override
  public void restoreState(int version, ByteString state, SnapshotSeal seal) {
    if (version != 1) {
      throw new IllegalArgumentException("shelves state version " + version + " is unknown to this release");
    }
    if (!(detector instanceof SnapshotPart part)) {
      throw new IllegalArgumentException("the shelf event detector " + detector.getClass().getName()
          + " cannot take a snapshot's state");
    }
    ShelvesState kept;
    Map<BinId, List<ShelfEventBelief>> pending = new HashMap<>();
    Map<BinId, List<ChargedPutBack>> putBacks = new HashMap<>();
    Map<VisitId, List<ShelfEventBelief>> receipts = new TreeMap<>();
    Map<VisitId, List<CartEntry>> carts = new TreeMap<>();
    try {
      kept = ShelvesState.parseFrom(state);
      kept.getUnexplainedList().forEach(k -> pending.put(BinId.of(k.getKey()), new ArrayList<>(beliefsOf(k))));
      kept.getReceiptBeliefsList().forEach(k -> receipts.put(VisitId.of(k.getKey()), beliefsOf(k)));
      kept.getCartsList().forEach(c -> carts.put(VisitId.of(c.getVisit()),
          c.getEntriesList().stream().map(CartLedger::entryOf).toList()));
      for (ChargedPutBackState put : kept.getChargedPutBacksList()) {
        ShelfEventBelief belief = ShelfStates.belief(put.getBelief());
        putBacks.computeIfAbsent(belief.event().bin(), b -> new ArrayList<>()).add(new ChargedPutBack(belief,
            VisitId.of(put.getVisit()), Sku.of(put.getSku()), put.getQuantity(),
            put.getStocked().isEmpty() ? null : BinId.of(put.getStocked())));
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("the shelves state cannot be read: " + e.getMessage(), e);
    }
    part.restoreState(kept.getDetectorVersion(), kept.getDetector(), seal);
    inventory.restore(kept.getInventoryList());
    unexplained.clear();
    unexplained.putAll(pending);
    chargedPutBacks.clear();
    chargedPutBacks.putAll(putBacks);
    beliefs.restore(receipts);
    carts.forEach(ledger::resume);
  }

  @Override
  public void onEvent(SensorEvent event) {
    if (event instanceof WeightEvent reading) {
      detector.onReading(reading).forEach(this::handle);
    }
  }

  @Override
  public void onEndOfStream(long ts) {
    detector.flush(ts).forEach(this::handle);
  }

  /** A change of several plates may be several units: see {@link MultiPlateEvents}. */
  private void handle(ShelfEvent event) {
    MultiPlateEvents.explainable(event, layout, resolver, this::decisionCandidates, settings).forEach(this::handleOne);
  }

  /** What could explain an event before knowing whose it is: the bins' contents, or anything for a put-back. */
  private Map<Sku, Integer> decisionCandidates(ShelfEvent event) {
    if (event.isRemoval()) {
      return binCandidates(event);
    }
    return catalog();
  }

  /** What the event's bins are believed to hold, together. */
  private Map<Sku, Integer> binCandidates(ShelfEvent event) {
    Map<Sku, Integer> candidates = new TreeMap<>();
    for (BinId id : event.bins()) {
      layout.bin(id).ifPresent(b -> inventory.candidates(b).forEach((sku, n) -> candidates.merge(sku, n, Integer::sum)));
    }
    return candidates;
  }

  /** The bin among the event's whose contents the product came from (or went into): the main one if it could. */
  private BinId binOf(ShelfEvent event, Sku sku) {
    for (BinId id : event.bins()) {
      Optional<Bin> bin = layout.bin(id);
      if (bin.isPresent() && inventory.candidates(bin.get()).containsKey(sku)) {
        return id;
      }
    }
    return event.bin();
  }

  private void handleOne(ShelfEvent settled) {
    ShelfEvent event = completing(settled);
    Bin bin = layout.bin(event.bin()).orElseThrow();
    registry.counter("jwo.shelf.events", "direction", event.isRemoval() ? "removal" : "return").increment();
    Attribution attribution = attributor.attribute(event, bin, locator);
    Optional<VisitId> visit = attribution.visitId().filter(this::isOpen);
    if (visit.isEmpty()) {
      orphan(event, bin, attribution);
      return;
    }
    List<ShelfEventBelief.Outcome> outcomes = new ArrayList<>();
    ProductBelief.Explained chosenProducts = null;
    ProductResolution chosenResolution = null;
    Map<Sku, Integer> chosenCandidates = Map.of();
    Explanation removal = event.isRemoval() ? explain(event, bin, binCandidates(event), ProductBelief.Artefact.TOUCHED)
        : null;
    for (Attribution.Candidate candidate : attribution.candidates()) {
      boolean best = candidate.visit().equals(visit.get());
      if (!isOpen(candidate.visit()) || (!best && candidate.probability() < MIN_CANDIDATE)) {
        continue;
      }
      Explanation explanation = removal != null ? removal
          : explain(event, bin, returnable(candidate.visit()), ProductBelief.Artefact.TOUCHED);
      // No unit moved: nobody's receipt changes, whoever's hand was there; that share goes to "nobody" below.
      for (ProductBelief.Weighted product : explanation.products().units()) {
        outcomes.add(new ShelfEventBelief.Outcome(candidate.visit(), product.sku(), product.quantity(),
            candidate.probability() * product.probability()));
      }
      if (best) {
        chosenProducts = explanation.products();
        chosenResolution = explanation.resolution();
        chosenCandidates = explanation.candidates();
      }
    }
    outcomes = compact(outcomes);
    double named = outcomes.stream().mapToDouble(ShelfEventBelief.Outcome::probability).sum();
    if (named < 1 - 1e-9) {
      outcomes.add(new ShelfEventBelief.Outcome(null, null, 0, Math.max(0, 1 - named)));
    }
    List<TrackId> tracks = attribution.candidates().stream().flatMap(c -> c.tracks().stream()).distinct().toList();
    String what = chosenResolution == null ? String.format(Locale.ROOT, "a change of %+.1f g in bin %s",
        event.deltaGrams(), bin.id()) : chosenResolution.explanation();
    double unitZ = chosenResolution == null ? Double.POSITIVE_INFINITY : chosenResolution.best()
        .map(ProductHypothesis::zScore).orElse(Double.POSITIVE_INFINITY);
    if (recordIfUndoing(new ShelfEventBelief(event, outcomes, null, tracks, what + "; " + attribution.explanation()),
        unitZ, what, attribution)) {
      return;
    }
    if (chosenProducts != null && chosenResolution != null && (chosenProducts.best() == null
        || chosenProducts.nothingMoved() > chosenProducts.best().probability())) {
      registry.counter("jwo.shelf.artefacts").increment();
      String why = String.format(Locale.ROOT, "a change of %+.1f g in bin %s is most likely no unit (a hand resting"
          + " on the shelf, cross-talk or noise; p %.3f); else %s", event.deltaGrams(), bin.id(),
          chosenProducts.nothingMoved(), chosenResolution.explanation());
      recordUncharged(event, outcomes, tracks, why, attribution);
      return;
    }
    ProductBelief.Weighted product = chosenProducts == null ? null : chosenProducts.best();
    if (product == null || product.sku() == null || chosenResolution == null) {
      registry.counter("jwo.shelf.unexplained").increment();
      String why = chosenResolution == null ? "no product explains it" : chosenResolution.explanation();
      recordUncharged(event, outcomes, tracks, why, attribution);
      return;
    }
    Map<VisitId, Integer> shares = event.isRemoval() ? sharers(event, attribution, product.quantity()) : Map.of();
    if (shares.size() > 1) {
      shareRemoval(event, bin, product, chosenResolution.explanation(), attribution, shares, tracks);
      return;
    }
    double p = attribution.probabilityOf(visit.get()) * product.probability();
    ShelfEventBelief.Outcome chosen = new ShelfEventBelief.Outcome(visit.get(), product.sku(), product.quantity(), p);
    String explanation = String.format(Locale.ROOT, "%s (p %.3f); %s", chosenResolution.explanation(),
        product.probability(), attribution.explanation());
    ShelfEventBelief belief = new ShelfEventBelief(event, outcomes, chosen, tracks, explanation);
    beliefs.record(belief);
    trace.shelfEvent(belief, attribution);
    ledger.append(visit.get(), new CartEntry(event.endTs(), product.sku(), product.quantity(), bin.id(),
        p >= CONFIDENT, explanation));
    // A put-back of another product stays in the bin's contents only when it is clear: a wrong guess would
    // otherwise become a candidate for the next take from this bin.
    BinId stocked = null;
    if (event.isRemoval() || product.sku().equals(bin.sku()) || product.probability() >= CONFIDENT) {
      stocked = event.isRemoval() ? binOf(event, product.sku()) : bin.id();
      stock(stocked, product.sku(), -product.quantity(), event.endTs());
    }
    if (!event.isRemoval() && event.plates().size() == 1 && !product.sku().equals(bin.sku())) {
      putBacks(event).add(new ChargedPutBack(belief, visit.get(), product.sku(), product.quantity(), stocked));
    }
    if (!chosenCandidates.containsKey(product.sku())) {
      registry.counter("jwo.shelf.unexplained").increment();
    }
  }

  /**
   * The visits among which a removal of {@code units} units is shared, with how many each took: when hands of
   * several visits' people were each in the bin long enough to take one ({@link #SHARED_TAKE_IN_BIN_MILLIS}) and
   * each could have made the removal ({@link #SHARED_TAKE_HAND}), one unit each, likeliest first, the rest to the
   * likeliest. A visit that was given a removal from the same bin that ended just before this one began (within the
   * time hands are looked for before a change) is no sharer: its hand was there for that removal. Empty when the
   * removal is most likely one person's.
   */
  private Map<VisitId, Integer> sharers(ShelfEvent event, Attribution attribution, int units) {
    if (units < 2) {
      return Map.of();
    }
    Map<VisitId, Double> takers = new TreeMap<>();
    for (Attribution.Hand hand : attribution.hands()) {
      VisitId visit = hand.visit();
      if (visit != null && hand.visitProbability() >= SHARED_TAKE_LABEL && hand.probability() >= SHARED_TAKE_HAND
          && hand.inBinMillis() >= SHARED_TAKE_IN_BIN_MILLIS && isOpen(visit) && !tookJustBefore(visit, event)) {
        takers.merge(visit, hand.probability(), Double::sum);
      }
    }
    if (takers.size() < 2) {
      return Map.of();
    }
    List<VisitId> order = takers.entrySet().stream()
        .sorted(Map.Entry.<VisitId, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .limit(units)
        .toList();
    Map<VisitId, Integer> shares = new LinkedHashMap<>();
    for (VisitId visit : order) {
      shares.put(visit, visit.equals(order.get(0)) ? units - order.size() + 1 : 1);
    }
    return shares;
  }

  /** Whether {@code visit} was given a removal from the event's bin that ended just before the event began. */
  private boolean tookJustBefore(VisitId visit, ShelfEvent event) {
    for (ShelfEventBelief earlier : beliefs.of(visit)) {
      ShelfEventBelief.Outcome chosen = earlier.chosen();
      ShelfEvent before = earlier.event();
      if (chosen != null && chosen.charges(visit) && chosen.quantity() > 0 && before.bin().equals(event.bin())
          && before.endTs() <= event.startTs() && event.startTs() - before.endTs() <= settings.handLeadMillis()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records a removal of several units as shared by {@code shares}' visits ({@link #sharers}): each visit's cart
   * gets its share, and each visit's receipt weighs its own part (its share with {@link #SHARED_TAKE}, all the
   * units with the rest in proportion to its hands' evidence, else nothing); the other candidates keep the chance
   * that they took all of them.
   */
  private void shareRemoval(ShelfEvent event, Bin bin, ProductBelief.Weighted product, String what,
      Attribution attribution, Map<VisitId, Integer> shares, List<TrackId> tracks) {
    Sku sku = Objects.requireNonNull(product.sku());
    registry.counter("jwo.shelf.shared").increment();
    String split = shares.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
    String explanation = String.format(Locale.ROOT, "%s (p %.3f); hands of %d visits were each in the bin long"
        + " enough to take a unit, so the units are shared (%s) with p %.2f; %s", what, product.probability(),
        shares.size(), split, SHARED_TAKE, attribution.explanation());
    List<ShelfEventBelief.Outcome> others = new ArrayList<>();
    for (Attribution.Candidate candidate : attribution.candidates()) {
      double whole = (1 - SHARED_TAKE) * candidate.probability() * product.probability();
      Integer share = shares.get(candidate.visit());
      if (share == null) {
        if (isOpen(candidate.visit()) && whole >= MIN_CANDIDATE) {
          others.add(new ShelfEventBelief.Outcome(candidate.visit(), sku, product.quantity(), whole));
        }
        continue;
      }
      double p = SHARED_TAKE * product.probability();
      ShelfEventBelief.Outcome chosen = new ShelfEventBelief.Outcome(candidate.visit(), sku, share, p);
      List<ShelfEventBelief.Outcome> outcomes = List.of(chosen,
          new ShelfEventBelief.Outcome(candidate.visit(), sku, product.quantity(), whole),
          new ShelfEventBelief.Outcome(null, null, 0, Math.max(0, 1 - p - whole)));
      ShelfEventBelief belief = new ShelfEventBelief(event, outcomes, chosen, tracks, explanation);
      beliefs.record(belief);
      trace.shelfEvent(belief, attribution);
      ledger.append(candidate.visit(), new CartEntry(event.endTs(), sku, share, bin.id(), p >= CONFIDENT,
          explanation));
    }
    if (!others.isEmpty()) {
      double named = others.stream().mapToDouble(ShelfEventBelief.Outcome::probability).sum();
      others.add(new ShelfEventBelief.Outcome(null, null, 0, Math.max(0, 1 - named)));
      beliefs.record(new ShelfEventBelief(event, others, null, tracks, explanation));
    }
    stock(binOf(event, sku), sku, -product.quantity(), event.endTs());
  }

  /**
   * The outcomes with each visit's unlikely products (below {@link #MIN_CANDIDATE}) counted together as "no product
   * named" for that visit: as doubt they weigh the same, and the checkout need not follow each of them (a visit
   * with many such events would otherwise make it weigh thousands of ways its receipt could have gone).
   */
  private static List<ShelfEventBelief.Outcome> compact(List<ShelfEventBelief.Outcome> outcomes) {
    List<ShelfEventBelief.Outcome> kept = new ArrayList<>();
    Map<VisitId, Double> unnamed = new TreeMap<>();
    for (ShelfEventBelief.Outcome o : outcomes) {
      VisitId visit = o.visit();
      if (visit != null && (o.sku() == null || o.probability() < MIN_CANDIDATE)) {
        unnamed.merge(visit, o.probability(), Double::sum);
      } else {
        kept.add(o);
      }
    }
    unnamed.forEach((visit, p) -> kept.add(new ShelfEventBelief.Outcome(visit, null, 0, Math.min(1, p))));
    return kept;
  }

  /** What a change could be, among {@code candidates}: the resolver's explanations, weighed. */
  private record Explanation(
      Map<Sku, Integer> candidates, ProductResolution resolution, ProductBelief.Explained products) {}

  /**
   * Explains a change among {@code candidates}. A removal is explained once for all visits (the bin's contents
   * are the same whoever took from it); a put-back, per visit, among what that visit carries.
   */
  private Explanation explain(ShelfEvent event, Bin bin, Map<Sku, Integer> candidates,
      ProductBelief.Artefact artefact) {
    ProductResolution resolution = resolver.resolve(event, candidates);
    return new Explanation(candidates, resolution, ProductBelief.of(resolution, bin.sku(), candidates,
        event.deltaGrams(), event.deltaSdGrams(), artefact));
  }

  /** What a shopper could be putting back: what their cart holds, or else anything in the catalog. */
  private Map<Sku, Integer> returnable(VisitId visit) {
    Map<Sku, Integer> held = ledger.quantities(visit);
    if (!held.isEmpty()) {
      return held;
    }
    return catalog();
  }

  /** Every product of the store, one unit each: what could be put back when nothing narrows it. */
  private Map<Sku, Integer> catalog() {
    Map<Sku, Integer> catalog = new TreeMap<>();
    for (Product product : layout.products()) {
      catalog.put(product.sku(), 1);
    }
    return catalog;
  }

  private boolean isOpen(VisitId visit) {
    return sessions.session(visit).map(Session::state).filter(s -> s != SessionState.SETTLED).isPresent();
  }

  /**
   * A shelf event nobody could be given: every open visit with a hand nearby may have made it, and so may every
   * visit one of whose members no track carried then (never seen coming in, or lost); each is held unless the
   * doubt is resolved. Nothing says whose it was, but when such a visit's other members were nearby (parties shop
   * together) the unidentified hands are likelier its missing member's than those of a shopper whose track was there
   * all along: the visits missing a member nearby share it, the others nearby keep a small part
   * ({@link #BYSTANDER_WEIGHT}). Otherwise every visit nearby and every visit missing a member shares it alike. What it was is weighed as for
   * any event, with no unit at all the likelier the fewer hands reached into the bin.
   */
  private void orphan(ShelfEvent event, Bin bin, Attribution attribution) {
    registry.counter("jwo.shelf.unattributed").increment();
    List<HandSighting> nearby = locator.handsNear(bin.front(), NEARBY_METRES, event.startTs() - 2_000,
        event.endTs() + 500);
    TreeSet<VisitId> visits = new TreeSet<>();
    TreeSet<TrackId> tracks = new TreeSet<>();
    boolean touched = false;
    for (HandSighting sighting : nearby) {
      touched |= sighting.hand().distanceTo(bin.front()) <= bin.widthMetres() / 2 + IN_BIN_SLACK_METRES;
      if (sighting.visit() != null && isOpen(sighting.visit())) {
        visits.add(sighting.visit());
        tracks.add(sighting.track());
      }
    }
    ProductBelief.Artefact artefact = touched ? ProductBelief.Artefact.TOUCHED : ProductBelief.Artefact.UNTOUCHED;
    Set<VisitId> missing = new TreeSet<>();
    Set<VisitId> missingNearby = new TreeSet<>();
    for (Session session : sessions.inStore()) {
      VisitId visit = session.admission().visitId();
      if (session.state() == SessionState.SHOPPING && missesAMember(session)) {
        missing.add(visit);
        if (visits.contains(visit)) {
          missingNearby.add(visit);
        }
      }
    }
    if (missingNearby.isEmpty()) {
      visits.addAll(missing);
    }
    double weights = missingNearby.isEmpty() ? visits.size()
        : missingNearby.size() + BYSTANDER_WEIGHT * (visits.size() - missingNearby.size());
    List<ShelfEventBelief.Outcome> outcomes = new ArrayList<>();
    double nothingMoved = 0;
    Explanation removal = event.isRemoval() ? explain(event, bin, binCandidates(event), artefact) : null;
    for (VisitId visit : visits) {
      double share = ORPHAN_SHARE * (missingNearby.isEmpty() || missingNearby.contains(visit) ? 1 : BYSTANDER_WEIGHT)
          / weights;
      ProductBelief.Explained products =
          (removal != null ? removal : explain(event, bin, returnable(visit), artefact)).products();
      for (ProductBelief.Weighted product : products.units()) {
        outcomes.add(new ShelfEventBelief.Outcome(visit, product.sku(), product.quantity(),
            share * product.probability()));
      }
      nothingMoved = products.nothingMoved();
    }
    outcomes = compact(outcomes);
    double named = outcomes.stream().mapToDouble(ShelfEventBelief.Outcome::probability).sum();
    outcomes.add(new ShelfEventBelief.Outcome(null, null, 0, Math.max(0, 1 - named)));
    String doubt = String.format(Locale.ROOT, "a change of %+.0f g at bin %s could not be given to anyone (%s)%s",
        event.deltaGrams(), bin.id(), attribution.explanation(), (visits.isEmpty() ? ""
            : String.format(Locale.ROOT, "; no unit moved with p %.3f", nothingMoved))
        + (missing.isEmpty() ? "" : "; no track carried a member of " + (missingNearby.isEmpty() ? missing
            : missingNearby + ", whose others were near,") + " then"));
    recordUncharged(event, outcomes, List.copyOf(tracks), doubt, attribution);
  }

  /**
   * Whether one of the visit's members who have not left was carried by no track just now: never seen coming in,
   * or lost by the tracker and not found again.
   */
  private boolean missesAMember(Session session) {
    OptionalInt tracked = locator.membersTracked(session.admission().visitId());
    return tracked.isPresent()
        && tracked.getAsInt() < session.admission().partySize() - session.membersExited();
  }

  /**
   * Records an event charged to nobody; one that no product explains is kept for a while, for a later change that
   * may undo it ({@link #undoing}).
   */
  private void recordUncharged(ShelfEvent event, List<ShelfEventBelief.Outcome> outcomes, List<TrackId> tracks,
      String why, Attribution attribution) {
    ShelfEventBelief belief = new ShelfEventBelief(event, outcomes, null, tracks, why + "; " + attribution.explanation());
    if (recordIfUndoing(belief, Double.POSITIVE_INFINITY, why, attribution)) {
      return;
    }
    if (unexplainedFor(belief).findAny().isPresent()) {
      pending(event).add(belief);
    }
    beliefs.record(belief);
    trace.shelfEvent(new ShelfEventBelief(event, outcomes, null, tracks, why), attribution);
  }

  /**
   * Records {@code belief} (charged to nobody) and returns true if its change undoes a change shortly before in the
   * same bin that no product explained, for a visit that is a candidate of both: a unit lifted and set back, a hand
   * pressing and letting go, or an unknown thing taken and put back. Together they are no unit moved, and neither
   * counts for that visit's receipt. Not when the later change is better explained as units ({@code unitZ}, the
   * z-score of its best product hypothesis) than as the earlier one undone.
   */
  private boolean recordIfUndoing(ShelfEventBelief belief, double unitZ, String why, Attribution attribution) {
    ShelfEvent event = belief.event();
    List<ShelfEventBelief> pending = pending(event);
    for (int i = pending.size() - 1; i >= 0; i--) {
      ShelfEventBelief earlier = pending.get(i);
      Set<VisitId> both = undoing(belief, earlier, unitZ);
      if (both.isEmpty()) {
        continue;
      }
      pending.remove(i);
      registry.counter("jwo.shelf.undone").increment();
      String pair = String.format(Locale.ROOT, "undoes the change of %+.1f g at %d in this bin: no unit moved",
          earlier.event().deltaGrams(), earlier.event().endTs());
      String undone = String.format(Locale.ROOT, "undone by the change of %+.1f g at %d in this bin: no unit moved",
          event.deltaGrams(), event.endTs());
      beliefs.replace(earlier, givenToNobody(earlier, both, earlier.evidence() + "; " + undone));
      beliefs.record(givenToNobody(belief, both, belief.evidence() + "; " + pair));
      trace.shelfEvent(givenToNobody(belief, both, why + "; " + pair), attribution);
      return true;
    }
    return false;
  }

  /**
   * The removal {@code event} completes, if any: a change shortly before in the same plate that no product explained
   * and that, added to this one, is a unit of what the bin holds much better than this change alone. A hand pressing
   * on the shelf and then lifting a unit, or a unit lifted in two movements that the load cells saw settle in
   * between, is one removal: the earlier change is given to nobody (it is part of the later one) and the two are
   * handled as one change from the start of the first to the end of the second.
   */
  private ShelfEvent completing(ShelfEvent event) {
    if (!event.isRemoval() || event.plates().size() != 1) {
      return event;
    }
    ShelfEvent afterPress = afterAPress(event);
    if (afterPress != null) {
      return afterPress;
    }
    List<ShelfEventBelief> pending = pending(event);
    for (int i = pending.size() - 1; i >= 0; i--) {
      ShelfEventBelief earlier = pending.get(i);
      ShelfEvent first = earlier.event();
      if (first.plates().size() != 1 || !mayJoin(first, event)) {
        continue;
      }
      ShelfEvent whole = joined(first, event);
      if (!fitsBetterTogether(whole, event)) {
        continue;
      }
      pending.remove(i);
      registry.counter("jwo.shelf.completed").increment();
      Set<VisitId> visits = unexplainedFor(earlier).collect(Collectors.toCollection(TreeSet::new));
      beliefs.replace(earlier, givenToNobody(earlier, visits, earlier.evidence() + String.format(Locale.ROOT,
          "; part of the change of %+.1f g that ended at %d in this bin, together %+.1f g", event.deltaGrams(),
          event.endTs(), whole.deltaGrams())));
      return whole;
    }
    return event;
  }

  /** Whether {@code first} ended in the same plate as {@code later}, recently enough for the two to be one change. */
  private static boolean mayJoin(ShelfEvent first, ShelfEvent later) {
    return first.bin().equals(later.bin()) && later.startTs() - first.endTs() <= COMPLETE_WINDOW_MILLIS;
  }

  /** Two changes of one plate as one, from the start of the first to the end of the later. */
  private static ShelfEvent joined(ShelfEvent first, ShelfEvent later) {
    double sd = Math.hypot(first.deltaSdGrams(), later.deltaSdGrams());
    double sum = first.deltaGrams() + later.deltaGrams();
    return new ShelfEvent(later.bin(), first.startTs(), later.endTs(), sum, sd,
        Math.min(first.confidence(), later.confidence()),
        List.of(new ShelfEvent.PlateChange(later.bin(), first.startTs(), later.endTs(), sum, sd)));
  }

  /**
   * Whether {@code whole} is a unit of what the bin holds ({@link #COMPLETE_Z}) that fits much better
   * ({@link #COMPLETE_MARGIN_Z}) than its later part {@code later} alone.
   */
  private boolean fitsBetterTogether(ShelfEvent whole, ShelfEvent later) {
    double together = bestZ(whole);
    return together <= COMPLETE_Z && together + COMPLETE_MARGIN_Z < bestZ(later);
  }

  /**
   * The removal {@code event} shows that a put-back of another product than the bin's own, charged shortly before
   * in the same plate, was a hand pressing on the shelf: together they are no change at all (pressing and letting go, when this removal alone is no unit), or
   * a unit of what the bin holds that fits much better than this removal alone (pressing, then lifting a unit). The
   * put-back is withdrawn from the visit's cart; the event to handle is returned (the two as one, for a lift), or
   * null if no put-back was a press.
   */
  private @Nullable ShelfEvent afterAPress(ShelfEvent event) {
    List<ChargedPutBack> recent = putBacks(event);
    for (int i = recent.size() - 1; i >= 0; i--) {
      ChargedPutBack put = recent.get(i);
      ShelfEvent first = put.belief().event();
      if (!mayJoin(first, event)) {
        continue;
      }
      double pairZ = pairZ(first, event);
      if (pairZ <= PAIR_Z && bestZ(event) > pairZ) {
        recent.remove(i);
        String why = String.format(Locale.ROOT, "the put-back was a hand pressing on the shelf, let go at %d",
            event.endTs());
        withdraw(put, event, why);
        // Left unexplained for its visit, so that this removal, given to nobody, undoes it (recordIfUndoing).
        ShelfEventBelief unexplained = movedTo(put.belief(), put.visit()::equals, put.visit(),
            put.belief().evidence() + "; " + why);
        beliefs.replace(put.belief(), unexplained);
        pending(event).add(unexplained);
        return event;
      }
      ShelfEvent whole = joined(first, event);
      if (whole.isRemoval() && fitsBetterTogether(whole, event)) {
        recent.remove(i);
        String why = String.format(Locale.ROOT,
            "the put-back was a hand pressing on the shelf, part of the removal of %+.1f g that ended at %d",
            whole.deltaGrams(), event.endTs());
        withdraw(put, event, why);
        beliefs.replace(put.belief(), givenToNobody(put.belief(), Set.of(put.visit()),
            put.belief().evidence() + "; " + why));
        return whole;
      }
    }
    return null;
  }

  /** Takes a charged put-back out of its visit's cart and the bin's contents. */
  private void withdraw(ChargedPutBack put, ShelfEvent by, String why) {
    registry.counter("jwo.shelf.presses").increment();
    ledger.append(put.visit(), new CartEntry(by.endTs(), put.sku(), -put.quantity(), put.belief().event().bin(),
        false, why));
    if (put.stocked() != null) {
      stock(put.stocked(), put.sku(), put.quantity(), by.endTs());
    }
  }

  /** Changes what {@code bin} holds of {@code sku} by {@code units}, and tells whoever follows the bins. */
  private void stock(BinId bin, Sku sku, int units, long ts) {
    inventory.change(bin, sku, units);
    ShelfStockListener.Change change = new ShelfStockListener.Change(bin, sku, units, ts);
    stockListeners.forEach(l -> l.stockChanged(change));
  }

  private List<ChargedPutBack> putBacks(ShelfEvent event) {
    List<ChargedPutBack> recent = chargedPutBacks.computeIfAbsent(event.bin(), b -> new ArrayList<>());
    recent.removeIf(p -> p.belief().event().endTs() < event.startTs() - COMPLETE_WINDOW_MILLIS);
    return recent;
  }

  /** A put-back charged to {@code visit}; {@code stocked}: the bin whose contents it changed, if it did. */
  private record ChargedPutBack(
      ShelfEventBelief belief, VisitId visit, Sku sku, int quantity, @Nullable BinId stocked) {}

  /** How well the likeliest units of what the event's bins hold explain its change (z-score; infinite: none). */
  private double bestZ(ShelfEvent event) {
    return resolver.resolve(event, binCandidates(event)).best().map(h -> Math.abs(h.zScore()))
        .orElse(Double.POSITIVE_INFINITY);
  }

  private List<ShelfEventBelief> pending(ShelfEvent event) {
    List<ShelfEventBelief> pending = unexplained.computeIfAbsent(event.bin(), b -> new ArrayList<>());
    pending.removeIf(b -> b.event().endTs() < event.startTs() - PAIR_WINDOW_MILLIS);
    return pending;
  }

  /**
   * The visits for which {@code later} undoes {@code earlier}: opposite changes of one size, the earlier one
   * unexplained for the visit and the later one possibly the visit's.
   */
  private Set<VisitId> undoing(ShelfEventBelief later, ShelfEventBelief earlier, double unitZ) {
    ShelfEvent a = earlier.event();
    ShelfEvent b = later.event();
    if (a.isRemoval() == b.isRemoval()) {
      return Set.of();
    }
    double pairZ = pairZ(a, b);
    if (pairZ > PAIR_Z || unitZ < pairZ) {
      return Set.of();
    }
    Set<VisitId> laterVisits = Set.copyOf(later.visits());
    return unexplainedFor(earlier).filter(laterVisits::contains).collect(Collectors.toCollection(TreeSet::new));
  }

  /** How far (in sd of the cells' noise) two changes are from undoing each other. */
  private double pairZ(ShelfEvent a, ShelfEvent b) {
    double noise = settings.sensorNoiseGrams();
    double sd = Math.sqrt(a.deltaSdGrams() * a.deltaSdGrams() + b.deltaSdGrams() * b.deltaSdGrams()
        + 4 * noise * noise);
    return Math.abs(a.deltaGrams() + b.deltaGrams()) / sd;
  }

  /** The visits for which the event may be a change no product explains. */
  private static Stream<VisitId> unexplainedFor(ShelfEventBelief belief) {
    return belief.outcomes().stream()
        .filter(o -> o.visit() != null && o.sku() == null && o.probability() >= MIN_CANDIDATE)
        .map(o -> Objects.requireNonNull(o.visit()));
  }

  /**
   * The belief with what it said of {@code visits} given to nobody instead: for the earlier change of a pair, its
   * "no product explains it"; for the later one, anything.
   */
  private static ShelfEventBelief givenToNobody(ShelfEventBelief belief, Set<VisitId> visits, String evidence) {
    return movedTo(belief, v -> v == null || visits.contains(v), null, evidence);
  }

  /**
   * The belief with every outcome of the visits {@code from} accepts (null: nobody) made one outcome of
   * {@code to} with no product, and nothing chosen.
   */
  private static ShelfEventBelief movedTo(ShelfEventBelief belief, Predicate<@Nullable VisitId> from,
      @Nullable VisitId to, String evidence) {
    List<ShelfEventBelief.Outcome> kept = new ArrayList<>();
    double moved = 0;
    for (ShelfEventBelief.Outcome o : belief.outcomes()) {
      if (from.test(o.visit())) {
        moved += o.probability();
      } else {
        kept.add(o);
      }
    }
    kept.add(new ShelfEventBelief.Outcome(to, null, 0, Math.min(1, moved)));
    return new ShelfEventBelief(belief.event(), kept, null, belief.tracks(), evidence);
  }


}
