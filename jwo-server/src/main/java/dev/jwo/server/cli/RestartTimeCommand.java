package dev.jwo.server.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.server.StoreModules;
import dev.jwo.storage.inject.StorageModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jwo restart-time}: ingests a store log through the store's durable ingest log, as {@code serve} takes a
 * gateway's input (journaled, checkpointed and snapshotted as {@code --checkpoint-every} and
 * {@code --snapshot-every} say), then restarts the store on that data several times and reports how long each
 * restart took to be ready for input and how many journaled messages it replayed. Keys are held in memory for the
 * process: the data folder is for this measurement only.
 */
@Command(
    name = "restart-time",
    mixinStandardHelpOptions = true,
    description = "Ingest a store log through the durable ingest log, then time restarts of the store on that"
        + " data (into an empty data folder; keys are held in memory, so the data serves this measurement only).")
final class RestartTimeCommand implements Callable<Integer> {
  @Option(names = "--store", required = true, paramLabel = "FILE", description = "the store's store.json")
  Path store = Path.of("store.json");

  @Option(names = "--events", required = true, paramLabel = "FILE", description = "the store log's events.jsonl")
  Path events = Path.of("events.jsonl");

  @Option(names = "--messages", paramLabel = "N",
      description = "ingest only the first N messages of the log, as a store stopped in the middle of its day"
          + " (default: all; a simulated day ends with the store empty, which a restart needs no snapshot for)")
  @Nullable Long messages;

  @Option(names = "--restarts", defaultValue = "3", paramLabel = "N",
      description = "how many times to restart the store (default ${DEFAULT-VALUE})")
  int restarts;

  @Mixin StorageOptions storage = new StorageOptions();

  @Mixin RecoveryOptions recovery = new RecoveryOptions();

  @Override
  public Integer call() throws Exception {
    if (restarts < 1) {
      throw new IllegalArgumentException("--restarts must be at least 1");
    }
    if (messages != null && messages < 1) {
      throw new IllegalArgumentException("--messages must be at least 1");
    }
    StoreLayout layout = StoreLogReader.readStore(store);
    StoreKeys keys = StoreKeys.random();
    List<Module> modules = List.of(new StorageModule(storage.settings()), recovery.module(), binder ->
        OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding().toInstance(keys));
    DataFolderLock lock = storage.jdbcUrl == null ? DataFolderLock.acquire(storage.data, "jwo restart-time") : null;
    try {
      ingest(layout, modules);
      List<Long> millis = new ArrayList<>();
      for (int i = 1; i <= restarts; i++) {
        long start = System.nanoTime();
        Injector injector = Guice.createInjector(StoreModules.forStore(layout, modules.toArray(Module[]::new)));
        long replayed = injector.getInstance(IngestLog.class).recover();
        long took = (System.nanoTime() - start) / 1_000_000;
        millis.add(took);
        System.out.printf(Locale.ROOT, "restart %d: ready for input after %,d ms, %,d journaled messages replayed,"
            + " heap in use %,d MB%n", i, took, replayed, usedHeapMegabytes());
        stop(injector);
      }
      List<Long> sorted = millis.stream().sorted().toList();
      System.out.printf(Locale.ROOT, "median restart: %,d ms of %d (snapshots every %s, checkpoints every %s)%n",
          sorted.get(sorted.size() / 2), sorted.size(), recovery.settings().snapshotEvery(),
          recovery.settings().checkpointEvery());
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
    return 0;
  }

  /** Takes every event of the log through the ingest log, as one gateway's stream, and stops the store. */
  private void ingest(StoreLayout layout, List<Module> modules) throws Exception {
    Injector injector = Guice.createInjector(StoreModules.forStore(layout, modules.toArray(Module[]::new)));
    IngestLog log = injector.getInstance(IngestLog.class);
    if (log.recover() > 0) {
      stop(injector);
      throw new IllegalArgumentException("the data already holds a store's input: give an empty --data folder (or"
          + " database)");
    }
    AtomicLong accepted = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long sequence = 0;
    long firstTs = Long.MIN_VALUE;
    long lastTs = Long.MIN_VALUE;
    try (EventLogReader reader = StoreLogReader.openEvents(events)) {
      long limit = messages == null ? Long.MAX_VALUE : messages;
      for (SensorEvent event = reader.next(); event != null && sequence < limit; event = reader.next()) {
        log.offer(SensorEventProtos.toProto(event, "restart-time", ++sequence), ack -> {
          if (ack.getOutcome() == IngestAck.Outcome.ACCEPTED) {
            accepted.incrementAndGet();
          } else {
            rejected.incrementAndGet();
          }
        }, e -> failed.incrementAndGet());
        firstTs = firstTs == Long.MIN_VALUE ? event.ts() : firstTs;
        lastTs = event.ts();
        if (sequence % 200_000 == 0) {
          System.out.printf(Locale.ROOT, "  offered %,d messages, store time +%.1f min%n", sequence,
              (lastTs - firstTs) / 60_000.0);
        }
      }
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    log.afterPending(() -> done.complete(null));
    done.get(1, TimeUnit.HOURS);
    long took = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(Locale.ROOT, "ingested %,d messages (%,d accepted, %,d rejected, %,d failed) over %.1f min of"
        + " store time in %,d ms%n", sequence, accepted.get(), rejected.get(), failed.get(),
        (lastTs - firstTs) / 60_000.0, took);
    if (failed.get() > 0) {
      stop(injector);
      throw new IllegalStateException(failed.get() + " messages could not be journaled; the figures would not hold");
    }
    stop(injector);
  }

  /** Stops a store as {@code serve} does at SIGTERM: the log, the payments, then the storage. */
  private static void stop(Injector injector) throws InterruptedException {
    injector.getInstance(IngestLog.class).close();
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    payments.awaitIdle(Duration.ofMinutes(1));
    payments.close();
    injector.getInstance(StoreStorage.class).close();
  }

  private static long usedHeapMegabytes() {
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
  }
}
