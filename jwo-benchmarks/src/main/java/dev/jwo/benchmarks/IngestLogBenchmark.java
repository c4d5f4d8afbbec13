package dev.jwo.benchmarks;

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
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.ingest.IngestSettings;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.WeightReading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable sensor ingest: a gateway's burst of weight readings offered to the {@link IngestLog}, each committed to
 * the journal before its acknowledgement; measures acknowledged messages per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestLogBenchmark {
  private static final int BURST = 1_000;
  private static final long START = 1_767_000_000_000L;

  @Param({"memory", "embedded", "postgresql"})
  public String storage = "embedded";

  @SuppressWarnings("NullAway.Init")
  private BenchStorage opened;

  @SuppressWarnings("NullAway.Init")
  private IngestLog log;

  private long sequence;

  @Setup(Level.Trial)
  public void open() {
    opened = BenchStorage.open(storage);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StorePipeline pipeline = new StorePipeline(layout(), Set.of(), new PipelineSettings(1_000), registry);
    log = new IngestLog(pipeline, opened.storage, registry, IngestSettings.DEFAULTS, Clock.systemUTC(), layout());
    log.recover();
  }

  @TearDown(Level.Trial)
  public void close() {
    log.close();
    opened.close();
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void burstOfWeightReadings() throws InterruptedException {
    CountDownLatch acked = new CountDownLatch(BURST);
    for (int i = 0; i < BURST; i++) {
      long seq = ++sequence;
      SensorEventMessage message = SensorEventMessage.newBuilder()
          .setSource("bench-gateway")
          .setSequence(seq)
          .setTsMs(START + seq * 50)
          .setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(6_000.0 + (seq % 7)))
          .build();
      log.offer(message, ack -> acked.countDown(), failure -> {
        throw new IllegalStateException("ingest failed", failure);
      });
    }
    if (!acked.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("acknowledgements did not arrive");
    }
  }

  private static StoreLayout layout() {
    Currency usd = Currency.getInstance("USD");
    return new StoreLayout(
        StoreId.of("bench-store"),
        "US-IL",
        usd,
        new Floor(12, 8),
        List.of(new Gate(GateId.of("in-1"), GateKind.ENTRY, new Position(2, 0)),
            new Gate(GateId.of("out-1"), GateKind.EXIT, new Position(10, 0))),
        List.of(new Product(Sku.of("0001"), "Sparkling water 500 ml", new Money(199, usd), 520, 4, false)),
        List.of(new Bin(BinId.of("A1-1"), Sku.of("0001"), new Point3(4, 4, 1.1), 0.4, 20)),
        List.of(new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.NONE)));
  }
}
