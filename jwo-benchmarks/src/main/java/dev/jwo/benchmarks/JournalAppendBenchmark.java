package dev.jwo.benchmarks;

import dev.jwo.cart.v1.CartLedgerEntry;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StreamAppend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Durable appends of cart lines: each append is one cart-ledger entry at its expected position in a visit's
 * stream (a new visit every 100 lines), acknowledged only once committed. Three ways to append: one thread that
 * waits for each append; sixteen threads that do (group commit gathers them); one thread with 256 appends in
 * flight at a time ({@code appendAllAsync}, as sensor ingest does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalAppendBenchmark {
  private static final int IN_FLIGHT = 256;
  private static final AtomicInteger VISITS = new AtomicInteger();
  private static final JournalRecord LINE = new JournalRecord("cart-entry/v1", CartLedgerEntry.newBuilder()
      .setTsMs(1_767_000_000_000L)
      .setSku("0002")
      .setQuantityDelta(1)
      .setBin("A1-2")
      .setConfident(true)
      .setExplanation("108 g off bin A1-2; left hand of track 7 at 0.12 m")
      .build()
      .toByteArray());

  @Param({"memory", "embedded", "postgresql"})
  public String storage = "embedded";

  @SuppressWarnings("NullAway.Init")
  private BenchStorage opened;

  @SuppressWarnings("NullAway.Init")
  private EventJournal journal;

  @Setup(Level.Trial)
  public void open() {
    opened = BenchStorage.open(storage);
    journal = opened.storage.journal();
  }

  @TearDown(Level.Trial)
  public void close() {
    opened.close();
  }

  /** One visit's cart at a time per thread. */
  @State(Scope.Thread)
  public static class Visit {
    private String stream = next();
    private long position;

    private static String next() {
      return "cart/v-bench-" + VISITS.incrementAndGet();
    }

    StreamAppend nextLine() {
      if (position == 100) {
        stream = next();
        position = 0;
      }
      return StreamAppend.of(stream, position++, LINE);
    }
  }

  @Benchmark
  @Threads(1)
  public long appendOneThread(Visit visit) {
    return journal.append(visit.nextLine());
  }

  @Benchmark
  @Threads(16)
  public long appendSixteenThreads(Visit visit) {
    return journal.append(visit.nextLine());
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(IN_FLIGHT)
  public void appendInFlightOneThread(Visit visit, Blackhole blackhole) {
    List<CompletableFuture<List<Long>>> futures = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      futures.add(journal.appendAllAsync(List.of(visit.nextLine())));
    }
    for (CompletableFuture<List<Long>> future : futures) {
      blackhole.consume(future.join());
    }
  }
}
