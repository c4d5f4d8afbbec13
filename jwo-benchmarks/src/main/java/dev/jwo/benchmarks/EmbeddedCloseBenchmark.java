package dev.jwo.benchmarks;

import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StreamAppend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * What closing a large embedded store costs: the file is rewritten with its live rows only, so that deleted records
 * do not rest in it. Each invocation closes a fresh store holding {@link #megabytes} MB of journal records of 1 KB
 * (random bytes, which no compression shrinks), the oldest tenth of them deleted, as input past its retention is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EmbeddedCloseBenchmark {
  private static final int RECORD_BYTES = 1_024;

  @Param({"100", "400"})
  public int megabytes = 100;

  @SuppressWarnings("NullAway.Init")
  private BenchStorage opened;

  @Setup(Level.Invocation)
  public void fill() throws Exception {
    opened = BenchStorage.open("embedded");
    Random random = new Random(megabytes);
    int records = megabytes * 1_024;
    List<CompletableFuture<List<Long>>> pending = new ArrayList<>();
    for (int r = 0; r < records; r += 1_000) {
      List<JournalRecord> batch = new ArrayList<>();
      for (int i = r; i < Math.min(records, r + 1_000); i++) {
        byte[] payload = new byte[RECORD_BYTES];
        random.nextBytes(payload);
        batch.add(new JournalRecord("bench/v1", payload));
      }
      pending.add(opened.storage.journal().appendAllAsync(
          List.of(new StreamAppend("input", EventJournal.ANY_POSITION, batch))));
    }
    for (CompletableFuture<List<Long>> done : pending) {
      done.get();
    }
    opened.storage.journal().truncate("input", records / 10);
  }

  /** Closing the store: its file rewritten with the live rows. */
  @Benchmark
  public void close() {
    opened.storage.close();
  }

  @TearDown(Level.Invocation)
  public void remove() {
    opened.close();
  }
}
