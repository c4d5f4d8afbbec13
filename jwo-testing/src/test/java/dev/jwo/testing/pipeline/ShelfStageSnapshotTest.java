package dev.jwo.testing.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.DecisionTrace;
import dev.jwo.cart.checkout.ReceiptBeliefs;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.shelf.AttributionSettings;
import dev.jwo.cart.shelf.HandEvidenceAttributor;
import dev.jwo.cart.shelf.SettlingShelfDetector;
import dev.jwo.cart.shelf.ShelfSettings;
import dev.jwo.cart.shelf.ShelfStage;
import dev.jwo.cart.shelf.WeightProductResolver;
import dev.jwo.core.BinId;
import dev.jwo.core.GateId;
import dev.jwo.core.Sku;
import dev.jwo.core.Point3;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.visit.Admission;
import dev.jwo.testing.cart.ScriptedShopperLocator;
import dev.jwo.testing.scenario.StoreScript;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The default shelf stage (with the settling detector) passes the snapshot kit: units taken before and after the
 * snapshot, a change no product explains undone after it, and a change in progress at the snapshot. The journal,
 * the sessions and where hands were are the store's, shared by the original and the restored stage; the carts and
 * the beliefs for checkout are each stage's own.
 */
class ShelfStageSnapshotTest extends SnapshotStageKit<ShelfStage> {
  private static final long T = 1_764_410_400_000L;
  private static final StoreLayout LAYOUT = StoreScript.smallStore("store-1", "US-CA");
  private static final long SNAPSHOT = T + 30_000;
  private static final long END = T + 60_000;

  private final InMemoryStoreStorage storage = new InMemoryStoreStorage();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SessionRegistry sessions = new SessionRegistry(Set::of, registry);
  private final ScriptedShopperLocator hands = new ScriptedShopperLocator();
  private final IdentityHashMap<ShelfStage, World> worlds = new IdentityHashMap<>();
  private final List<SensorEvent> day = day();

  /** A visit's stage-side world: its cart ledger and the beliefs its checkout would weigh. */
  private record World(CartLedger ledger, ReceiptBeliefs beliefs) {}

  @Override
  protected ShelfStage newStage() {
    World world = new World(new CartLedger(LAYOUT, storage), new ReceiptBeliefs());
    ShelfStage stage = new ShelfStage(LAYOUT, new SettlingShelfDetector(ShelfSettings.DEFAULTS, LAYOUT),
        new WeightProductResolver(LAYOUT, ShelfSettings.DEFAULTS),
        new HandEvidenceAttributor(LAYOUT, ShelfSettings.DEFAULTS, AttributionSettings.DEFAULTS), hands,
        world.ledger(), sessions, registry, world.beliefs(), DecisionTrace.NONE, ShelfSettings.DEFAULTS);
    worlds.put(stage, world);
    return stage;
  }

  @Override
  protected List<SensorEvent> before() {
    return day.stream().filter(e -> e.ts() < SNAPSHOT).toList();
  }

  @Override
  protected List<SensorEvent> after() {
    return day.stream().filter(e -> e.ts() >= SNAPSHOT).toList();
  }

  /** The store's sessions take each entry once (they are not the stage under test). */
  @Override
  protected void feed(ShelfStage stage, SensorEvent event) {
    if (event instanceof EntryEvent entry) {
      VisitId visit = Admission.from(entry).visitId();
      if (sessions.session(visit).isEmpty()) {
        sessions.onEvent(entry);
        sessions.memberEntered(visit, TrackId.of("m-" + entry.ts()), entry.ts() + 1_000);
      }
    }
    super.feed(stage, event);
  }

  /** The kit's day is one that matters: units in carts on both sides of the snapshot, and a change in progress. */
  @Test
  void theDayPutsUnitsInCartsOnBothSidesOfTheSnapshot() {
    ShelfStage stage = newStage();
    before().forEach(e -> feed(stage, e));
    CartLedger ledger = worlds.get(stage).ledger();
    assertThat(ledger.quantities(visit(0))).containsExactly(Map.entry(Sku.of("0001"), 1));
    assertThat(ledger.quantities(visit(1))).containsExactly(Map.entry(Sku.of("0003"), 2));
    assertThat(ledger.quantities(visit(2))).isEmpty();
    after().forEach(e -> feed(stage, e));
    assertThat(ledger.quantities(visit(2))).containsOnlyKeys(Sku.of("0004"), Sku.of("0002"));
    assertThat(worlds.get(stage).beliefs().of(visit(1))).anySatisfy(b -> assertThat(b.evidence()).contains("undone"));
  }

  private static VisitId visit(int shopper) {
    return Admission.visitIdFor(GateId.of("in-1"), T + shopper * 1_000L);
  }

  @Override
  protected Object observe(ShelfStage stage) {
    World world = worlds.get(stage);
    List<Object> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      VisitId visit = visit(i);
      seen.add(world.ledger().ledger(visit));
      seen.add(world.ledger().cart(visit));
    }
    seen.add(world.beliefs().all());
    return seen;
  }

  /**
   * A minute of readings of every bin, ten a second with a little noise, and three shoppers: the first takes a
   * bottle of water from A1-1 before the snapshot, the second two bottles of juice from A1-3 and lifts something of
   * 160 g from A1-2 that it sets back after the snapshot, the third takes crisps from A1-4 across the snapshot and
   * chocolate from A1-6 after it.
   */
  private List<SensorEvent> day() {
    List<SensorEvent> events = new ArrayList<>();
    String[] credentials = {"card-4242", "card-1313", "card-9090"};
    for (int i = 0; i < credentials.length; i++) {
      events.add(entry(T + i * 1_000L, credentials[i], 1));
    }
    record Change(String bin, long at, double grams, int shopper) {}
    List<Change> changes = List.of(
        new Change("A1-1", T + 10_000, -520, 0),
        new Change("A1-3", T + 18_000, -2_160, 1),
        new Change("A1-2", T + 24_000, -160, 1),
        new Change("A1-4", T + 29_700, -165, 2),
        new Change("A1-2", T + 36_000, 161, 1),
        new Change("A1-6", T + 45_000, -108, 2));
    for (Change change : changes) {
      int shopper = change.shopper();
      VisitId visit = visit(shopper);
      Point3 front = LAYOUT.bin(BinId.of(change.bin())).orElseThrow().front();
      for (long ts = change.at() - 1_500; ts <= change.at() + 1_500; ts += 100) {
        hands.seen(TrackId.of("t" + shopper), visit, new Point3(front.x(), front.y() - 0.05,
            front.z()), ts);
      }
    }
    for (int b = 0; b < 6; b++) {
      BinId bin = BinId.of("A1-" + (b + 1));
      double load = 500 + 2_000 + 100 * b;
      for (long ts = T + 37; ts < END; ts += 100) {
        double shift = 0;
        for (Change change : changes) {
          if (change.bin().equals(bin.value()) && ts >= change.at()) {
            shift += change.grams();
          }
        }
        double noise = ((ts / 100 * 7_919 + b * 104_729L) % 11 - 5) * 0.4;
        events.add(new WeightEvent(ts, bin, load + shift + noise));
      }
    }
    events.sort(Comparator.comparingLong(SensorEvent::ts));
    return events;
  }
}
