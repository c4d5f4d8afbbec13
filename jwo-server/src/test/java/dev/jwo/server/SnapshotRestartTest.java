package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.compliance.keys.StoreKeyProvider;
import dev.jwo.compliance.keys.StoreKeys;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.ingest.IngestSettings;
import dev.jwo.core.ingest.StoreIntake;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.storelog.EventLogReader;
import dev.jwo.core.storelog.StoreLogReader;
import dev.jwo.core.storelog.StoreLogWriter;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.StageState;
import dev.jwo.payments.PaymentProvider;
import dev.jwo.payments.Receipt;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.StaffCheckSettings;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.simulated.SimulatedCardProcessor;
import dev.jwo.sim.Scenario;
import dev.jwo.sim.Simulator;
import dev.jwo.sim.truth.TruthFiles;
import dev.jwo.testing.pipeline.ReversingSnapshotSeal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated store restarted from a snapshot of its whole default pipeline (sessions, tracking, shelves,
 * checkout, payments, compliance) gives, byte for byte, the receipts and cart ledgers of a run never interrupted:
 * at several points of the day, restoring a fresh store from a snapshot taken there, and through the ingest log
 * as {@code serve} runs it, which snapshots the pipeline every so often and restarts from the latest.
 */
class SnapshotRestartTest {
  /** Events whose camera features are screened together, as {@link Replay} does. */
  private static final int BATCH = 64;

  @TempDir Path dir;

  /** The store's keys, the same on every start, as a key-management service would give them. */
  private final StoreKeys keys = StoreKeys.random();
  /** The card processor outlives the restarts, as a real one would. */
  private SimulatedCardProcessor processor = new SimulatedCardProcessor();

  @Test
  void aStoreRestoredFromASnapshotAtAnyPointGivesTheReceiptsAndCartsOfAnUninterruptedRun() throws Exception {
    Path sim = simulate("normal", 2);
    StoreLayout layout = StoreLogReader.readStore(sim.resolve(TruthFiles.STORE));
    List<SensorEvent> events = events(sim);
    Outcome whole = replay(layout, events, events.size());
    assertThat(whole.receipts).hasSize(20);

    int batches = events.size() / BATCH;
    for (int quarter = 1; quarter <= 3; quarter++) {
      int cut = batches * quarter / 4 * BATCH;
      Outcome restarted = replay(layout, events, cut);

      assertThat(restarted.snapshotStages).as("the stages snapshotted at event %d", cut)
          .contains("sessions", "vision", "shelves");
      assertThat(restarted.visitsInsideAtCut).as("visits inside at event %d", cut).isPositive();
      assertThat(restarted.receiptsJson).as("receipts after a restart at event %d of %d", cut, events.size())
          .isEqualTo(whole.receiptsJson);
      assertThat(restarted.ledgers).as("cart ledgers after a restart at event %d", cut).isEqualTo(whole.ledgers);
      assertThat(restarted.stats).isEqualTo(whole.stats);
    }
  }

  @Test
  void theIngestLogRestartsFromItsLatestSnapshotAndEndsWithTheReceiptsOfAnUninterruptedRun() throws Exception {
    Path sim = simulate("quiet", 1);
    StoreLayout layout = StoreLogReader.readStore(sim.resolve(TruthFiles.STORE));
    List<SensorEventMessage> messages = new ArrayList<>();
    for (SensorEvent event : events(sim)) {
      messages.add(SensorEventProtos.toProto(event, "sim", messages.size() + 1L));
    }
    IngestSettings settings = IngestSettings.DEFAULTS.withCheckpointEvery(Duration.ofSeconds(10))
        .withSnapshotEvery(Duration.ofSeconds(20));
    Clock clock = Clock.fixed(Instant.ofEpochMilli(messages.get(messages.size() - 1).getTsMs()), ZoneOffset.UTC);

    InMemoryStoreStorage uninterruptedStorage = new InMemoryStoreStorage();
    Injector uninterrupted = logged(layout, uninterruptedStorage, settings, clock);
    assertThat(uninterrupted.getInstance(IngestLog.class).recover()).isZero();
    send(uninterrupted, messages);
    Outcome whole = finish(uninterrupted, true, List.of());
    assertThat(whole.receipts).hasSize(12);

    for (int quarter = 1; quarter <= 3; quarter++) {
      processor = new SimulatedCardProcessor();
      InMemoryStoreStorage storage = new InMemoryStoreStorage();
      int cut = messages.size() * quarter / 4;
      Injector before = logged(layout, storage, settings, clock);
      before.getInstance(IngestLog.class).recover();
      send(before, messages.subList(0, cut));
      stopWithoutFinishing(before, true);

      Injector after = logged(layout, storage, settings, clock);
      long replayed = after.getInstance(IngestLog.class).recover();
      send(after, messages.subList(cut, messages.size()));
      Outcome restarted = finish(after, true, List.of());

      // A snapshot every 20 s of event time: the restart replays well under a minute of the input, not all of it.
      assertThat(replayed).as("messages replayed of %d at a restart", cut).isPositive().isLessThan(cut / 3);
      assertThat(restarted.receiptsJson).as("receipts after a restart at message %d", cut)
          .isEqualTo(whole.receiptsJson);
      assertThat(restarted.ledgers).isEqualTo(whole.ledgers);
    }
  }

  /** What a run ended with. */
  private record Outcome(String receiptsJson, Map<VisitId, List<?>> ledgers, List<Receipt> receipts, Object stats,
      List<String> snapshotStages, int visitsInsideAtCut) {}

  /**
   * Replays the events through a fresh store; if {@code cut} is short of the end, snapshots the pipeline there,
   * abandons that store, and goes on in a new one on the same storage restored from the snapshot.
   */
  private Outcome replay(StoreLayout layout, List<SensorEvent> events, int cut) throws Exception {
    processor = new SimulatedCardProcessor();
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    Injector injector = store(layout, storage);
    List<SensorEvent> screened = submit(injector, events.subList(0, cut));
    if (cut == events.size()) {
      return finish(injector, false, List.of());
    }
    StorePipeline.PipelineState state = injector.getInstance(StorePipeline.class).snapshot(SEAL).orElseThrow();
    int inside = injector.getInstance(dev.jwo.cart.session.SessionRegistry.class).inStore().size();
    stopWithoutFinishing(injector, false);

    Injector restored = store(layout, storage);
    StorePipeline pipeline = restored.getInstance(StorePipeline.class);
    pipeline.restore(state.clock(), state.stages(), SEAL);
    screened.stream().filter(e -> e.ts() >= state.refillFrom()).forEach(pipeline::refill);
    submit(restored, events.subList(cut, events.size()));
    Outcome outcome = finish(restored, false, state.stages().stream().map(StageState::getStage).toList());
    return new Outcome(outcome.receiptsJson, outcome.ledgers, outcome.receipts, outcome.stats,
        outcome.snapshotStages, inside);
  }

  /** Submits the events, their camera features screened {@link #BATCH} at a time; returns them as screened. */
  private static List<SensorEvent> submit(Injector injector, List<SensorEvent> events) {
    StorePipeline pipeline = injector.getInstance(StorePipeline.class);
    StoreIntake intake = injector.getInstance(StoreIntake.class);
    List<SensorEvent> screened = new ArrayList<>();
    for (int from = 0; from < events.size(); from += BATCH) {
      for (SensorEvent event : intake.screenEvents(events.subList(from, Math.min(events.size(), from + BATCH)))) {
        pipeline.submit(event);
        screened.add(event);
      }
    }
    return screened;
  }

  private Outcome finish(Injector injector, boolean logged, List<String> snapshotStages) throws Exception {
    StorePipeline pipeline = injector.getInstance(StorePipeline.class);
    if (logged) {
      injector.getInstance(IngestLog.class).close();
    }
    pipeline.finish();
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitIdle(Duration.ofSeconds(60))).isTrue();
    payments.close();
    List<Receipt> receipts = injector.getInstance(ReceiptBook.class).all();
    Path file = Files.createTempFile(dir, "receipts", ".jsonl");
    StoreLogWriter.writeReceipts(file, receipts.stream().map(Receipt::toRecord).toList());
    CartLedger ledger = injector.getInstance(CartLedger.class);
    Map<VisitId, List<?>> ledgers = new LinkedHashMap<>();
    receipts.forEach(r -> ledgers.put(r.visitId(), ledger.storedLedger(r.visitId())));
    return new Outcome(Files.readString(file), ledgers, receipts, pipeline.stats(), snapshotStages, 0);
  }

  /** Waits for what the store was doing, as a crash after it would find it; the pipeline is not finished. */
  private static void stopWithoutFinishing(Injector injector, boolean logged) throws InterruptedException {
    if (logged) {
      injector.getInstance(IngestLog.class).close();
    }
    VisitPayments payments = injector.getInstance(VisitPayments.class);
    assertThat(payments.awaitIdle(Duration.ofSeconds(60))).isTrue();
    payments.close();
  }

  private Injector store(StoreLayout layout, StoreStorage storage, Module... more) {
    List<Module> modules = new ArrayList<>(List.of(more));
    modules.add(binder -> {
      OptionalBinder.newOptionalBinder(binder, StoreStorage.class).setBinding().toInstance(storage);
      OptionalBinder.newOptionalBinder(binder, StoreKeyProvider.class).setBinding().toInstance(keys);
      OptionalBinder.newOptionalBinder(binder, PaymentProvider.class).setBinding().toInstance(processor);
      OptionalBinder.newOptionalBinder(binder, StaffCheckSettings.class).setBinding()
          .toInstance(StaffCheckSettings.RECORDED);
    });
    return Guice.createInjector(StoreModules.forStore(layout, modules.toArray(Module[]::new)));
  }

  private Injector logged(StoreLayout layout, StoreStorage storage, IngestSettings settings, Clock clock) {
    return store(layout, storage, binder -> {
      OptionalBinder.newOptionalBinder(binder, IngestSettings.class).setBinding().toInstance(settings);
      OptionalBinder.newOptionalBinder(binder, Clock.class).setBinding().toInstance(clock);
    });
  }

  /** Offers the messages 50 at a time, as a gateway's stream would, and waits for each 50 to be acknowledged. */
  private static void send(Injector injector, List<SensorEventMessage> messages) throws Exception {
    IngestLog log = injector.getInstance(IngestLog.class);
    List<IngestAck> acks = new CopyOnWriteArrayList<>();
    for (int from = 0; from < messages.size(); from += 50) {
      for (SensorEventMessage m : messages.subList(from, Math.min(messages.size(), from + 50))) {
        log.offer(m, acks::add, e -> { });
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      log.afterPending(() -> done.complete(null));
      done.get(60, TimeUnit.SECONDS);
    }
    assertThat(acks).hasSize(messages.size());
  }

  private Path simulate(String preset, long seed) throws IOException {
    Path out = dir.resolve(preset + "-" + seed);
    new Simulator(Scenario.preset(preset), seed).run(out, (done, total, events) -> { });
    return out;
  }

  private static List<SensorEvent> events(Path sim) throws IOException {
    List<SensorEvent> events = new ArrayList<>();
    try (EventLogReader reader = StoreLogReader.openEvents(sim.resolve(TruthFiles.EVENTS))) {
      for (SensorEvent event = reader.next(); event != null; event = reader.next()) {
        events.add(event);
      }
    }
    return events;
  }

  /** Seals a credential by reversing it behind a subject: unreadable in the snapshot, and opened exactly. */
  private static final SnapshotSeal SEAL = new ReversingSnapshotSeal();
}
