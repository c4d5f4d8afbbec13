package dev.jwo.testing.scenario;

import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.Credential;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Sku;
import dev.jwo.core.SkuQuantity;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.FrameEvent;
import dev.jwo.core.event.PersonObservation;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A scripted scenario: single shoppers who enter, walk to bins, take units and leave, turned into the entry,
 * frame, weight and exit events a store would report (with a little deterministic noise). Every camera sees the
 * whole floor. For tests that need a known, easy store; the simulator makes realistic ones.
 */
public final class StoreScript {
  static final double WALK_SPEED = 1.2;
  static final double TARE_GRAMS = 500;
  static final long FRAME_PERIOD_MS = 100;

  private final StoreLayout layout;
  private final long startTs;
  private final long seed;
  private final List<ShopperScript> shoppers = new ArrayList<>();

  public StoreScript(StoreLayout layout, long startTs, long seed) {
    this.layout = layout;
    this.startTs = startTs;
    this.seed = seed;
  }

  /**
   * A small store: an entry gate at (2, 0), an exit gate at (10, 0), one shelf of six bins along y = 4 (bins
   * 0.5 m apart, hands reach them from y below 4), four products, two cameras without features.
   */
  public static StoreLayout smallStore(String storeId, String jurisdiction) {
    Currency usd = Currency.getInstance("USD");
    List<Product> products = List.of(
        new Product(Sku.of("0001"), "Sparkling water 500 ml", new Money(199, usd), 520, 4, false),
        new Product(Sku.of("0002"), "Dark chocolate 100 g", new Money(349, usd), 108, 2, false),
        new Product(Sku.of("0003"), "Apple juice 1 l", new Money(279, usd), 1_080, 8, false),
        new Product(Sku.of("0004"), "Salted crisps 150 g", new Money(249, usd), 165, 3, false));
    List<Bin> bins = new ArrayList<>();
    String[] skus = {"0001", "0002", "0003", "0004", "0001", "0002"};
    for (int i = 0; i < skus.length; i++) {
      bins.add(new Bin(BinId.of("A1-" + (i + 1)), Sku.of(skus[i]), new Point3(4.0 + 0.5 * i, 4.0, 1.1), 0.4, 20));
    }
    return new StoreLayout(
        StoreId.of(storeId),
        jurisdiction,
        usd,
        new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        products,
        bins,
        List.of(new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.NONE),
            new Camera(CameraId.of("cam-2"), new Point3(8, 3, 3), FeatureKind.NONE)));
  }

  public StoreLayout layout() {
    return layout;
  }

  /** A single shopper who scans in at the first entry gate {@code enterAfterMs} after the start. */
  public ShopperScript shopper(String credential, long enterAfterMs) {
    ShopperScript shopper = new ShopperScript(Credential.of(credential), startTs + enterAfterMs);
    shoppers.add(shopper);
    return shopper;
  }

  /** What each credential should be charged for, by SKU. */
  public Map<Credential, List<SkuQuantity>> expectedItems() {
    Map<Credential, List<SkuQuantity>> expected = new LinkedHashMap<>();
    for (ShopperScript shopper : shoppers) {
      Map<Sku, Integer> units = new TreeMap<>();
      for (Pick pick : shopper.picks) {
        units.merge(layout.bin(pick.bin).orElseThrow().sku(), pick.quantity, Integer::sum);
      }
      expected.put(shopper.credential,
          units.entrySet().stream().map(e -> new SkuQuantity(e.getKey(), e.getValue())).toList());
    }
    return expected;
  }

  /** The events of the whole scenario, in event-time order. */
  public List<SensorEvent> events() {
    Random noise = new Random(seed);
    Gate entry = layout.gates().stream().filter(g -> g.kind() == GateKind.ENTRY).findFirst().orElseThrow();
    Gate exit = layout.gates().stream().filter(g -> g.kind() == GateKind.EXIT).findFirst().orElseThrow();
    List<SensorEvent> events = new ArrayList<>();
    List<Timeline> timelines = new ArrayList<>();
    Map<BinId, List<long[]>> binChanges = new HashMap<>();
    for (ShopperScript shopper : shoppers) {
      Timeline timeline = shopper.timeline(entry, exit);
      timelines.add(timeline);
      if (!shopper.admittedElsewhere) {
        events.add(new EntryEvent(shopper.enterTs, entry.id(), shopper.credential, 1, null));
      }
      events.add(new ExitEvent(timeline.end, exit.id()));
      for (Reach reach : timeline.reaches) {
        binChanges.computeIfAbsent(reach.bin.id(), b -> new ArrayList<>())
            .add(new long[] {reach.start + (reach.end - reach.start) / 2, reach.quantity});
      }
    }
    long end = timelines.stream().mapToLong(t -> t.end).max().orElse(startTs) + 5_000;
    for (long ts = startTs; ts <= end; ts += FRAME_PERIOD_MS) {
      for (int c = 0; c < layout.cameras().size(); c++) {
        Camera camera = layout.cameras().get(c);
        long frameTs = ts + 17L * c;
        List<PersonObservation> people = new ArrayList<>();
        for (Timeline timeline : timelines) {
          PersonObservation person = timeline.observe(frameTs, noise);
          if (person != null) {
            people.add(person);
          }
        }
        events.add(new FrameEvent(frameTs, camera.id(), people));
      }
    }
    for (Bin bin : layout.bins()) {
      Product product = layout.productIn(bin);
      List<long[]> changes = binChanges.getOrDefault(bin.id(), List.of());
      for (long ts = startTs + 50; ts <= end; ) {
        int taken = 0;
        boolean busy = false;
        for (long[] change : changes) {
          if (change[0] <= ts) {
            taken += (int) change[1];
          }
          busy |= Math.abs(ts - change[0]) < 2_000;
        }
        double grams = TARE_GRAMS + (bin.initialQuantity() - taken) * product.unitWeightGrams() + noise.nextGaussian();
        events.add(new WeightEvent(ts, bin.id(), grams));
        ts += busy ? 100 : 1_000;
      }
    }
    events.sort(Comparator.comparingLong(SensorEvent::ts));
    return events;
  }

  private record Pick(BinId bin, int quantity) {}

  private record Reach(Bin bin, long start, long end, int quantity) {}

  /** One shopper's script: the bins they visit, in order. */
  public final class ShopperScript {
    final Credential credential;
    final long enterTs;
    final List<Pick> picks = new ArrayList<>();
    boolean admittedElsewhere;

    ShopperScript(Credential credential, long enterTs) {
      this.credential = credential;
      this.enterTs = enterTs;
    }

    /**
     * The shopper's entry is not part of the events: it is admitted some other way (e.g. through the session
     * service) at the same time.
     */
    public ShopperScript admittedElsewhere() {
      admittedElsewhere = true;
      return this;
    }

    /** Walks to {@code bin} and takes {@code quantity} units from it. */
    public ShopperScript take(String bin, int quantity) {
      if (layout.bin(BinId.of(bin)).isEmpty()) {
        throw new IllegalArgumentException("no bin " + bin);
      }
      picks.add(new Pick(BinId.of(bin), quantity));
      return this;
    }

    Timeline timeline(Gate entry, Gate exit) {
      Timeline t = new Timeline(enterTs + 500, new Position(entry.position().x(), 0.3));
      t.walkTo(new Position(entry.position().x(), 1.5));
      for (Pick pick : picks) {
        Bin bin = layout.bin(pick.bin).orElseThrow();
        t.walkTo(new Position(bin.front().x(), bin.front().y() - 0.6));
        t.reach(bin, pick.quantity);
      }
      t.walkTo(new Position(exit.position().x(), 1.5));
      t.walkTo(new Position(exit.position().x(), 0.1));
      return t;
    }
  }

  /** Where one shopper is over time: straight walks between points, and reaches into bins. */
  private static final class Timeline {
    final List<long[]> times = new ArrayList<>();
    final List<Position> points = new ArrayList<>();
    final List<Reach> reaches = new ArrayList<>();
    final long start;
    long end;

    Timeline(long start, Position first) {
      this.start = start;
      this.end = start;
      times.add(new long[] {start});
      points.add(first);
    }

    void walkTo(Position to) {
      Position from = points.get(points.size() - 1);
      end += Math.round(from.distanceTo(to) / WALK_SPEED * 1000);
      times.add(new long[] {end});
      points.add(to);
    }

    void reach(Bin bin, int quantity) {
      reaches.add(new Reach(bin, end + 500, end + 2_000, quantity));
      end += 2_500;
      times.add(new long[] {end});
      points.add(points.get(points.size() - 1));
    }

    @Nullable PersonObservation observe(long ts, Random noise) {
      if (ts < start || ts > end) {
        return null;
      }
      Position body = positionAt(ts);
      List<Point3> hands = new ArrayList<>();
      Reach active = reaches.stream().filter(r -> ts >= r.start && ts <= r.end).findFirst().orElse(null);
      if (active != null) {
        Point3 front = active.bin.front();
        hands.add(new Point3(front.x() + jitter(noise, 0.02), front.y() + jitter(noise, 0.02), front.z()));
      } else {
        hands.add(new Point3(body.x() - 0.25, body.y(), 0.9));
      }
      hands.add(new Point3(body.x() + 0.25, body.y(), 0.9));
      return new PersonObservation(
          new Position(body.x() + jitter(noise, 0.03), body.y() + jitter(noise, 0.03)), hands, null);
    }

    private Position positionAt(long ts) {
      for (int i = 1; i < times.size(); i++) {
        long t0 = times.get(i - 1)[0];
        long t1 = times.get(i)[0];
        if (ts <= t1) {
          double f = t1 == t0 ? 1 : (ts - t0) / (double) (t1 - t0);
          Position a = points.get(i - 1);
          Position b = points.get(i);
          return new Position(a.x() + f * (b.x() - a.x()), a.y() + f * (b.y() - a.y()));
        }
      }
      return points.get(points.size() - 1);
    }

    private static double jitter(Random noise, double sd) {
      return noise.nextGaussian() * sd;
    }
  }
}
