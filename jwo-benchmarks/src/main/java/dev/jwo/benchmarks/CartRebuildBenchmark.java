package dev.jwo.benchmarks;

import dev.jwo.cart.ledger.Cart;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.v1.CartLedgerEntry;
import dev.jwo.core.Bin;
import dev.jwo.core.BinId;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
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
import dev.jwo.core.StoreId;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StreamAppend;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Rebuilding the cart of a visit with 100 ledger lines from storage, as a restarted server does: a new
 * {@link CartLedger} reads the visit's stream and folds it ({@link #rebuildCart}); and the read alone
 * ({@link #readLedger}). Each invocation takes the next of {@value #VISITS} visits in turn, so that no database
 * can answer from the result of the same query a moment before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CartRebuildBenchmark {
  private static final Currency USD = Currency.getInstance("USD");
  private static final int VISITS = 200;
  private static final int LINES = 100;

  @Param({"memory", "embedded", "postgresql"})
  public String storage = "embedded";

  @SuppressWarnings("NullAway.Init")
  private BenchStorage opened;

  private final StoreLayout layout = layout();
  private final List<VisitId> visits = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void open() {
    opened = BenchStorage.open(storage);
    List<Product> products = layout.products();
    List<CompletableFuture<List<Long>>> appended = new ArrayList<>();
    for (int v = 0; v < VISITS; v++) {
      VisitId visit = VisitId.of("v-1767000000000-bench" + v);
      visits.add(visit);
      for (int i = 0; i < LINES; i++) {
        Product product = products.get((i + v) % products.size());
        Bin bin = layout.bins().get((i + v) % products.size());
        boolean putBack = i % 7 == 6;
        // The entry as CartLedger writes it.
        byte[] entry = CartLedgerEntry.newBuilder()
            .setTsMs(1_767_000_000_000L + i * 1_000L)
            .setSku(product.sku().value())
            .setQuantityDelta(putBack ? -1 : 1)
            .setBin(bin.id().value())
            .setConfident(i % 10 != 9)
            .setExplanation((putBack ? "put back on " : "taken from ") + bin.id() + " by track 7")
            .build()
            .toByteArray();
        appended.add(opened.storage.journal().appendAllAsync(List.of(
            StreamAppend.of("cart/" + visit.value(), i, new JournalRecord("cart-entry/v1", entry)))));
      }
    }
    appended.forEach(CompletableFuture::join);
    for (VisitId visit : visits) {
      Cart cart = new CartLedger(layout, opened.storage).open(visit);
      if (cart.version() != LINES || cart.lines().isEmpty()) {
        throw new IllegalStateException("the rebuilt cart of " + visit + " has " + cart.version()
            + " entries, not " + LINES);
      }
    }
  }

  private VisitId nextVisit() {
    VisitId visit = visits.get(next);
    next = (next + 1) % VISITS;
    return visit;
  }

  @TearDown(Level.Trial)
  public void close() {
    opened.close();
  }

  @Benchmark
  public Cart rebuildCart() {
    return new CartLedger(layout, opened.storage).open(nextVisit());
  }

  @Benchmark
  public List<JournalEntry> readLedger() {
    return opened.storage.journal().read("cart/" + nextVisit().value(), 0, 1_000);
  }

  static StoreLayout layout() {
    List<Product> products = new ArrayList<>();
    List<Bin> bins = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      Sku sku = Sku.of(String.format("%04d", i));
      products.add(new Product(sku, "Product " + i, new Money(100 + i * 25, USD), 100 + i * 40, 3, false));
      bins.add(new Bin(BinId.of("A1-" + i), sku, new Point3(1 + i * 0.5, 4, 1.1), 0.4, 20));
    }
    return new StoreLayout(StoreId.of("bench-store"), "US-IL", USD, new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        products, bins, List.of(new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.NONE)));
  }
}
