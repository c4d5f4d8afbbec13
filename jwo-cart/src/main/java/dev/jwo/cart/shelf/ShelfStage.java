package dev.jwo.cart.shelf;

import dev.jwo.cart.Attribution;
import dev.jwo.cart.PickAttributor;
import dev.jwo.cart.ProductHypothesis;
import dev.jwo.cart.ProductResolution;
import dev.jwo.cart.ProductResolver;
import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.ShelfEventDetector;
import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.session.Session;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.session.SessionState;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.visit.HandSighting;
import dev.jwo.core.visit.ShopperLocator;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shelf stage of the pipeline: weight readings become shelf events ({@link ShelfEventDetector}), each is
 * given to a visit ({@link PickAttributor}) and explained as a product ({@link ProductResolver}), and the result
 * is appended to that visit's cart ledger with whether it was clear enough to charge unchecked.
 */
@Singleton
public final class ShelfStage implements SensorEventHandler {
  /** Radius within which visits are told about a shelf event nobody could be given. */
  private static final double NEARBY_METRES = 1.5;
  /** How much input a restart replays for the load cells. */
  private static final long SHELF_HISTORY_MILLIS = 120_000;

  private final StoreLayout layout;
  private final ShelfEventDetector detector;
  private final ProductResolver resolver;
  private final PickAttributor attributor;
  private final ShopperLocator locator;
  private final CartLedger ledger;
  private final SessionRegistry sessions;
  private final MeterRegistry registry;
  private final BinInventory inventory;

  @Inject
  public ShelfStage(
      StoreLayout layout,
      ShelfEventDetector detector,
      ProductResolver resolver,
      PickAttributor attributor,
      ShopperLocator locator,
      CartLedger ledger,
      SessionRegistry sessions,
      MeterRegistry registry) {
    this.layout = layout;
    this.detector = detector;
    this.resolver = resolver;
    this.attributor = attributor;
    this.locator = locator;
    this.ledger = ledger;
    this.sessions = sessions;
    this.registry = registry;
    this.inventory = new BinInventory(layout);
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
    MultiPlateEvents.explainable(event, resolver, this::decisionCandidates).forEach(this::handleOne);
  }

  /** What could explain an event before knowing whose it is: the bins' contents, or anything for a put-back. */
  private Map<Sku, Integer> decisionCandidates(ShelfEvent event) {
    if (event.isRemoval()) {
      return binCandidates(event);
    }
    Map<Sku, Integer> catalog = new TreeMap<>();
    for (Product product : layout.products()) {
      catalog.put(product.sku(), 1);
    }
    return catalog;
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

  private void handleOne(ShelfEvent event) {
    Bin bin = layout.bin(event.bin()).orElseThrow();
    registry.counter("jwo.shelf.events", "direction", event.isRemoval() ? "removal" : "return").increment();
    Attribution attribution = attributor.attribute(event, bin, locator);
    Optional<VisitId> visit = attribution.visitId().filter(this::isOpen);
    if (visit.isEmpty()) {
      orphan(event, bin, attribution);
      return;
    }
    Map<Sku, Integer> candidates = event.isRemoval() ? binCandidates(event) : returnable(visit.get());
    ProductResolution resolution = resolver.resolve(event, candidates);
    Optional<ProductHypothesis> best = resolution.best();
    if (best.isEmpty()) {
      registry.counter("jwo.shelf.unexplained").increment();
      sessions.addDoubt(visit.get(), resolution.explanation());
      return;
    }
    ProductHypothesis hypothesis = best.get();
    boolean confident = resolution.confident() && attribution.confident();
    String explanation = resolution.explanation()
        + (attribution.confident() ? "" : "; " + attribution.explanation());
    ledger.append(visit.get(),
        new CartEntry(event.endTs(), hypothesis.sku(), hypothesis.quantity(), bin.id(), confident, explanation));
    inventory.change(event.isRemoval() ? binOf(event, hypothesis.sku()) : bin.id(), hypothesis.sku(),
        -hypothesis.quantity());
  }

  /** What a shopper could be putting back: what their cart holds, or else anything in the catalog. */
  private Map<Sku, Integer> returnable(VisitId visit) {
    Map<Sku, Integer> held = ledger.quantities(visit);
    if (!held.isEmpty()) {
      return held;
    }
    Map<Sku, Integer> catalog = new TreeMap<>();
    for (Product product : layout.products()) {
      catalog.put(product.sku(), 1);
    }
    return catalog;
  }

  private boolean isOpen(VisitId visit) {
    return sessions.session(visit).map(Session::state).filter(s -> s != SessionState.SETTLED).isPresent();
  }

  /** A shelf event nobody could be given: every visit with a hand nearby is told, so none is charged unchecked. */
  private void orphan(ShelfEvent event, Bin bin, Attribution attribution) {
    registry.counter("jwo.shelf.unattributed").increment();
    List<HandSighting> nearby = locator.handsNear(bin.front(), NEARBY_METRES, event.startTs() - 2_000,
        event.endTs() + 500);
    TreeSet<VisitId> visits = new TreeSet<>();
    for (HandSighting sighting : nearby) {
      if (sighting.visit() != null && isOpen(sighting.visit())) {
        visits.add(sighting.visit());
      }
    }
    String doubt = String.format(Locale.ROOT, "a change of %+.0f g at bin %s could not be given to anyone (%s)",
        event.deltaGrams(), bin.id(), attribution.explanation());
    for (VisitId visit : visits) {
      sessions.addDoubt(visit, doubt);
    }
  }
}
