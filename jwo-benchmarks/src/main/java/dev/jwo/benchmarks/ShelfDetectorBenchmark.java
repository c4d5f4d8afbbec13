package dev.jwo.benchmarks;

import dev.jwo.cart.ShelfEvent;
import dev.jwo.cart.shelf.SettlingShelfDetector;
import dev.jwo.cart.shelf.ShelfSettings;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Floor;
import dev.jwo.core.Gate;
import dev.jwo.core.GateId;
import dev.jwo.core.GateKind;
import dev.jwo.core.Money;
import dev.jwo.core.Point3;
import dev.jwo.core.Position;
import dev.jwo.core.Product;
import dev.jwo.core.Shelf;
import dev.jwo.core.ShelfId;
import dev.jwo.core.Sku;
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.WeightEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The default shelf-event detector's throughput, in readings per second: a store of {@value #PLATES} plates
 * ({@value #SHELVES} shelves of ten, declared in the layout) whose cells all report at {@value #HERTZ} Hz, as the
 * realistic-cells preset's do. Each invocation feeds one second of the whole store ({@value #PER_SECOND} readings).
 *
 * <p>The readings are made once: {@value #LOOP_SECONDS} s in which a fifth of the plates have a unit taken, with a
 * hand pressing for a second and a half and cross-talk onto the plates beside, and put back
 * {@value #LOOP_SECONDS}/2 s later, so that the loop ends where it began and is replayed with later times; each cell
 * has its own noise (log-normal, median 1.1 g, the first ten shelves heavier) and rare single-reading spikes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ShelfDetectorBenchmark {
  private static final int SHELVES = 60;
  private static final int PLATES = SHELVES * 10;
  private static final int HERTZ = 60;
  private static final int PER_SECOND = PLATES * HERTZ;
  private static final int LOOP_SECONDS = 30;
  private static final long T0 = 1_767_000_000_000L;

  private final List<BinId> bins = new ArrayList<>();
  private long[] times = new long[0];
  private int[] plates = new int[0];
  private double[] grams = new double[0];
  private int next;
  private long lap;
  @SuppressWarnings("NullAway.Init")
  private SettlingShelfDetector detector;

  @Setup(Level.Trial)
  public void prepare() {
    StoreLayout layout = layout();
    detector = new SettlingShelfDetector(ShelfSettings.DEFAULTS, layout);
    SplittableRandom random = new SplittableRandom(7);
    int per = LOOP_SECONDS * HERTZ;
    int n = PLATES * per;
    times = new long[n];
    plates = new int[n];
    grams = new double[n];
    double[][] load = new double[PLATES][per];
    int period = 1_000 / HERTZ;
    for (int p = 0; p < PLATES; p++) {
      Arrays.fill(load[p], 2_000 + 300 * (p % 7));
    }
    for (int p = 0; p < PLATES; p++) {
      if (random.nextDouble() >= 0.2) {
        continue;
      }
      double unit = 50 + 1_000 * random.nextDouble();
      int take = (2_000 + random.nextInt(10_000)) * HERTZ / 1_000;
      int back = take + per / 2;
      for (int i = 0; i < per; i++) {
        double off = i >= take && i < back ? -unit : 0;
        double press = 0;
        for (int start : new int[] {take, back}) {
          int from = start - 45;
          if (i >= from && i < from + 90) {
            press = 40 * Math.sin(Math.PI * (i - from) / 90.0);
          }
        }
        load[p][i] += off + press;
        for (int q : new int[] {p - 1, p + 1}) {
          if (q >= 0 && q < PLATES && q / 10 == p / 10) {
            load[q][i] += 0.012 * off;
          }
        }
      }
    }
    double[] sd = new double[PLATES];
    for (int p = 0; p < PLATES; p++) {
      sd[p] = Math.min(25, (p < 100 ? 3.6 : 1.1) * Math.exp(0.9 * random.nextGaussian()));
    }
    int k = 0;
    for (int i = 0; i < per; i++) {
      for (int p = 0; p < PLATES; p++) {
        boolean heavy = p < 100;
        double spike = random.nextDouble() < (heavy ? 0.02 : 0.00006) ? (random.nextBoolean() ? 1 : -1) * 90 : 0;
        times[k] = Math.round(i * 1_000.0 / HERTZ) + p % period;
        plates[k] = p;
        grams[k] = Math.round((load[p][i] + sd[p] * random.nextGaussian() + spike) * 10) / 10.0;
        k++;
      }
    }
  }

  /** One second of readings of every plate; the score is readings per second. */
  @Benchmark
  @OperationsPerInvocation(PER_SECOND)
  public int oneSecondOfTheStore() {
    int found = 0;
    for (int i = 0; i < PER_SECOND; i++) {
      WeightEvent reading = new WeightEvent(T0 + lap * LOOP_SECONDS * 1_000L + times[next], bins.get(plates[next]),
          grams[next]);
      List<ShelfEvent> events = detector.onReading(reading);
      found += events.size();
      if (++next == times.length) {
        next = 0;
        lap++;
      }
    }
    return found;
  }

  private StoreLayout layout() {
    Currency usd = Currency.getInstance("USD");
    Sku sku = Sku.of("0001");
    List<Bin> all = new ArrayList<>();
    List<Shelf> shelves = new ArrayList<>();
    for (int s = 0; s < SHELVES; s++) {
      List<BinId> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        BinId id = BinId.of(String.format("S%02d-%02d", s, i));
        ids.add(id);
        bins.add(id);
        all.add(new Bin(id, sku, new Point3(1 + 0.5 * i, 1 + 0.5 * s, 1), 0.5, 20));
      }
      shelves.add(new Shelf(ShelfId.of(String.format("S%02d", s)), ids));
    }
    return new StoreLayout(StoreId.of("bench"), "US-IL", usd, new Floor(10, 40),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(1, 0))),
        List.of(new Product(sku, "Water", new Money(199, usd), 500, 3, false)),
        all, List.of(), shelves);
  }
}
