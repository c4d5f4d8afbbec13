package dev.jwo.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.TestStores;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.ForwardingEventJournal;
import dev.jwo.core.storage.ForwardingStoreStorage;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.WeightReading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestLogTest {
  private static final long T = 1_764_410_400_000L;

  private final FailingStorage storage = new FailingStorage(new InMemoryStoreStorage());
  private final List<Store> stores = new ArrayList<>();

  @AfterEach
  void closeLogs() {
    stores.forEach(s -> s.log.close());
  }

  @Test
  void aMessageIsInTheJournalBeforeItIsAcknowledged() throws Exception {
    Store store = newStore();
    List<Long> journaledAtAck = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    store.log.offer(weight("gw-1", 1, T), ack -> journaledAtAck.add(storage.journal().endPosition(IngestLog.STREAM)),
        done::completeExceptionally);
    store.log.offer(weight("gw-1", 2, T + 100), ack -> journaledAtAck.add(storage.journal().endPosition(IngestLog.STREAM)),
        done::completeExceptionally);
    store.log.afterPending(() -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);

    assertThat(journaledAtAck).hasSize(2).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(1));
    assertThat(journaledAtAck.get(1)).isEqualTo(2);
    assertThat(store.pipeline.stats().accepted()).isEqualTo(2);
  }

  @Test
  void aMessageSentAgainIsAcknowledgedOnceMoreButProcessedOnce() throws Exception {
    Store store = newStore();
    List<IngestAck> acks = send(store, weight("gw-1", 1, T), weight("gw-1", 2, T + 100), weight("gw-1", 2, T + 100));

    assertThat(acks).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(acks.get(2).getMessage()).contains("already received");
    assertThat(store.pipeline.stats().accepted()).isEqualTo(2);
    assertThat(storage.journal().endPosition(IngestLog.STREAM)).isEqualTo(2);
  }

  @Test
  void aRestartReplaysTheJournalAndRecognisesWhatTheGatewaySendsAgain() throws Exception {
    Store first = newStore();
    send(first, weight("gw-1", 1, T), weight("gw-1", 2, T + 2_000), weight("gw-2", 1, T + 2_500),
        heartbeat("gw-1", 3, T + 10_000));
    List<SensorEvent> before = List.copyOf(first.handled);

    Store second = newStore();
    assertThat(second.log.recover()).isEqualTo(4);
    assertThat(second.handled).isEqualTo(before);
    assertThat(second.pipeline.eventTime()).isEqualTo(first.pipeline.eventTime());

    List<IngestAck> acks = send(second, weight("gw-1", 2, T + 2_000), weight("gw-1", 4, T + 10_500));
    assertThat(acks.get(0).getMessage()).contains("already received");
    assertThat(acks.get(1).getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED);
    assertThat(second.pipeline.stats().accepted()).isEqualTo(4);
  }

  @Test
  void aFailedCommitRefusesTheSourceUntilItSendsAgainFromTheFailedMessage() throws Exception {
    Store store = newStore();
    send(store, weight("gw-1", 1, T));
    storage.failNextAppends.set(1);
    List<Object> outcomes = sendCollecting(store, weight("gw-1", 2, T + 100));
    assertThat(outcomes).singleElement().isInstanceOf(StorageException.class);

    List<Object> later = sendCollecting(store, weight("gw-1", 3, T + 200));
    assertThat(later).singleElement().isInstanceOf(StorageException.class);
    assertThat((StorageException) later.get(0)).hasMessageContaining("send again from 2");

    List<IngestAck> acks = send(store, weight("gw-1", 2, T + 100), weight("gw-1", 3, T + 200));
    assertThat(acks).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(acks).extracting(IngestAck::getMessage).containsOnly("");
    assertThat(store.pipeline.stats().accepted()).isEqualTo(3);
  }

  @Test
  void anInvalidMessageIsJournaledAndRejectedTheSameWayAfterARestart() throws Exception {
    Store first = newStore();
    SensorEventMessage unknownBin = SensorEventMessage.newBuilder().setSource("gw-1").setSequence(1).setTsMs(T)
        .setWeight(WeightReading.newBuilder().setBin("Z9").setGrams(1)).build();
    IngestAck ack = send(first, unknownBin).get(0);
    assertThat(ack.getOutcome()).isEqualTo(IngestAck.Outcome.REJECTED);
    assertThat(ack.getMessage()).contains("Z9");

    Store second = newStore();
    second.log.recover();
    assertThat(second.pipeline.stats().rejected()).isEqualTo(first.pipeline.stats().rejected());
  }

  private Store newStore() {
    Store store = new Store(storage);
    stores.add(store);
    return store;
  }

  private static List<IngestAck> send(Store store, SensorEventMessage... messages) throws Exception {
    List<Object> outcomes = sendCollecting(store, messages);
    List<IngestAck> acks = new ArrayList<>();
    for (Object o : outcomes) {
      assertThat(o).isInstanceOf(IngestAck.class);
      acks.add((IngestAck) o);
    }
    return acks;
  }

  private static List<Object> sendCollecting(Store store, SensorEventMessage... messages) throws Exception {
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    for (SensorEventMessage m : messages) {
      store.log.offer(m, outcomes::add, outcomes::add);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    store.log.afterPending(() -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
    return outcomes;
  }

  private static SensorEventMessage weight(String source, long sequence, long ts) {
    return SensorEventMessage.newBuilder().setSource(source).setSequence(sequence).setTsMs(ts)
        .setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(6_000.0 + sequence)).build();
  }

  private static SensorEventMessage heartbeat(String source, long sequence, long ts) {
    return SensorEventMessage.newBuilder().setSource(source).setSequence(sequence).setTsMs(ts)
        .setHeartbeat(dev.jwo.core.v1.Heartbeat.getDefaultInstance()).build();
  }

  /** A pipeline with a recording handler and the ingest log in front of it, on shared storage. */
  private static final class Store {
    final List<SensorEvent> handled = new CopyOnWriteArrayList<>();
    final StorePipeline pipeline;
    final IngestLog log;

    Store(StoreStorage storage) {
      SensorEventHandler recorder = new SensorEventHandler() {
        @Override
        public PipelineStage stage() {
          return PipelineStage.OBSERVERS;
        }

        @Override
        public void onEvent(SensorEvent event) {
          handled.add(event);
        }
      };
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      pipeline = new StorePipeline(TestStores.small(), Set.of(recorder), new PipelineSettings(1_000), registry);
      log = new IngestLog(pipeline, storage, registry);
    }
  }

  /** Storage whose journal fails the next {@link #failNextAppends} appends. */
  private static final class FailingStorage extends ForwardingStoreStorage {
    final java.util.concurrent.atomic.AtomicInteger failNextAppends = new java.util.concurrent.atomic.AtomicInteger();
    private final EventJournal journal;

    FailingStorage(StoreStorage delegate) {
      super(delegate);
      journal = new ForwardingEventJournal(delegate.journal()) {
        @Override
        public List<Long> appendAll(List<StreamAppend> appends) {
          if (failNextAppends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StorageException("disk full", true);
          }
          return super.appendAll(appends);
        }
      };
    }

    @Override
    public EventJournal journal() {
      return journal;
    }
  }
}
