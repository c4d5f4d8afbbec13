package dev.jwo.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.jwo.core.Credential;
import dev.jwo.core.TestClock;
import dev.jwo.core.TestStores;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.pipeline.PipelineSettings;
import dev.jwo.core.pipeline.PipelineStage;
import dev.jwo.core.pipeline.RejectionReason;
import dev.jwo.core.pipeline.SensorEventHandler;
import dev.jwo.core.pipeline.SnapshotSeal;
import dev.jwo.core.pipeline.SnapshotStage;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.KeyedTable;
import dev.jwo.core.storage.KeyedValue;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.memory.InMemoryStoreStorage;
import dev.jwo.core.v1.AdmissionState;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.StageState;
import dev.jwo.core.v1.WeightReading;
import dev.jwo.core.visit.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.InflaterInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that never empties, restarted mid-day: from a pipeline snapshot it replays a few minutes of input, not
 * the day's, and ends in the state an uninterrupted run reaches.
 */
class PipelineSnapshotTest {
  private static final long T = 1_764_410_400_000L;
  /** Half an hour of input: a reading every 250 ms, some late and some sent twice, and an entry every minute. */
  private static final List<SensorEventMessage> DAY = day();

  private final TestClock clock = new TestClock(T + 40 * 60_000);
  private final KeptSeal seal = new KeptSeal();
  private final List<Store> stores = new ArrayList<>();

  @AfterEach
  void closeLogs() {
    stores.forEach(s -> s.log.close());
  }

  @Test
  void aRestartFromASnapshotReplaysMinutesNotTheDayAndEndsWhereAnUninterruptedRunDoes() throws Exception {
    Store uninterrupted = newStore(new InMemoryStoreStorage(), IngestSettings.DEFAULTS);
    send(uninterrupted, DAY);
    uninterrupted.pipeline.finish();

    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    int half = DAY.size() / 2;
    send(newStore(storage, IngestSettings.DEFAULTS), DAY.subList(0, half));
    Store restarted = newStore(storage, IngestSettings.DEFAULTS);
    long replayed = restarted.log.recover();
    send(restarted, DAY.subList(half, DAY.size()));
    restarted.pipeline.finish();

    // A snapshot every 2 minutes of event time: at most that and the reordering window's records are read again.
    assertThat(replayed).as("messages replayed of %d", half).isPositive().isLessThan(half / 5);
    assertThat(restarted.stage.digest).isEqualTo(uninterrupted.stage.digest);
    assertThat(restarted.stage.events).isEqualTo(uninterrupted.stage.events);
    assertThat(restarted.stage.admissions).isEqualTo(uninterrupted.stage.admissions).hasSize(30);
    // The pipeline's counts go on from the snapshot's, as they do after a replay of everything.
    assertThat(restarted.pipeline.stats()).isEqualTo(uninterrupted.pipeline.stats());
    assertThat(restarted.pipeline.stats().rejected()).containsKey(RejectionReason.DUPLICATE);
    assertThat(restarted.registry.get("jwo.pipeline.events").tag("outcome", "rejected").counter().count())
        .isEqualTo(uninterrupted.registry.get("jwo.pipeline.events").tag("outcome", "rejected").counter().count());
  }

  @Test
  void aSnapshotOfAnotherFormatIsSetAsideOnceAndTheInputReplayedFromTheStart() throws Exception {
    Store uninterrupted = newStore(new InMemoryStoreStorage(), IngestSettings.DEFAULTS);
    send(uninterrupted, DAY);
    uninterrupted.pipeline.finish();

    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    int half = DAY.size() / 2;
    Store newer = newStore(storage, IngestSettings.DEFAULTS);
    newer.stage.version = 2;
    send(newer, DAY.subList(0, half));
    Store restarted = newStore(storage, IngestSettings.DEFAULTS);
    long replayed = restarted.log.recover();
    send(restarted, DAY.subList(half, DAY.size()));
    restarted.pipeline.finish();

    assertThat(replayed).isEqualTo(half);
    assertThat(restarted.stage.digest).isEqualTo(uninterrupted.stage.digest);
    assertThat(restarted.pipeline.stats()).isEqualTo(uninterrupted.pipeline.stats());
    assertThat(restarted.registry.get("jwo.ingest.snapshots.unusable").tag("reason", "mismatch").counter().count())
        .isEqualTo(1);
    // The snapshots taken since are of this release's format: the next restart uses one.
    assertThat(newStore(storage, IngestSettings.DEFAULTS).log.recover()).isLessThan(half / 5);
  }

  @Test
  void aDamagedSnapshotIsSetAsideAndTheInputReplayedFromTheStart() throws Exception {
    Store uninterrupted = newStore(new InMemoryStoreStorage(), IngestSettings.DEFAULTS);
    send(uninterrupted, DAY);
    uninterrupted.pipeline.finish();

    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    int half = DAY.size() / 2;
    send(newStore(storage, IngestSettings.DEFAULTS), DAY.subList(0, half));
    KeyedTable rows = storage.table(RecoveryPoints.SNAPSHOTS);
    KeyedValue row = rows.scan("").get(0);
    byte[] damaged = row.value().value().clone();
    for (int i = damaged.length / 3; i < damaged.length; i++) {
      damaged[i] ^= (byte) 0x5a;
    }
    rows.put(row.key(), damaged, KeyedTable.ANY_VERSION);
    Store restarted = newStore(storage, IngestSettings.DEFAULTS);
    long replayed = restarted.log.recover();
    send(restarted, DAY.subList(half, DAY.size()));
    restarted.pipeline.finish();

    assertThat(replayed).isEqualTo(half);
    assertThat(restarted.stage.digest).isEqualTo(uninterrupted.stage.digest);
    assertThat(restarted.stage.admissions).isEqualTo(uninterrupted.stage.admissions);
    assertThat(restarted.registry.find("jwo.ingest.snapshots.unusable").counters())
        .extracting(c -> c.count()).containsExactly(1.0);
  }

  @Test
  void aStateAStageCannotReadLeavesEveryStageAsItWas() throws Exception {
    Store store = newStore(new InMemoryStoreStorage(), IngestSettings.DEFAULTS);
    send(store, DAY.subList(0, 500));
    StorePipeline.PipelineState state = store.pipeline.snapshot(new AdmissionSeal(seal)).orElseThrow();
    StageState damaged = state.stages().get(0).toBuilder()
        .setState(state.stages().get(0).getState().substring(0, 20)).build();

    Store other = newStore(new InMemoryStoreStorage(), IngestSettings.DEFAULTS);
    assertThatThrownBy(() -> other.pipeline.restore(state.clock(), List.of(damaged), new AdmissionSeal(seal)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(other.stage.digest).isEqualTo(new DigestStage().digest);
    assertThat(other.stage.events).isZero();
    assertThat(other.pipeline.stats().accepted()).isZero();
    assertThat(other.pipeline.eventTime()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void withoutSnapshotsTheSameRestartReplaysEverything() throws Exception {
    IngestSettings noSnapshots = IngestSettings.DEFAULTS.withSnapshotEvery(Duration.ZERO);
    Store uninterrupted = newStore(new InMemoryStoreStorage(), noSnapshots);
    send(uninterrupted, DAY);
    uninterrupted.pipeline.finish();

    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    int half = DAY.size() / 2;
    send(newStore(storage, noSnapshots), DAY.subList(0, half));
    Store restarted = newStore(storage, noSnapshots);
    long replayed = restarted.log.recover();
    send(restarted, DAY.subList(half, DAY.size()));
    restarted.pipeline.finish();

    assertThat(replayed).isEqualTo(half);
    assertThat(restarted.stage.digest).isEqualTo(uninterrupted.stage.digest);
    assertThat(storage.table(RecoveryPoints.SNAPSHOTS).scan("")).isEmpty();
  }

  @Test
  void onlyTheLatestSnapshotIsKeptAndItHoldsNoCredential() throws Exception {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    send(newStore(storage, IngestSettings.DEFAULTS), DAY);

    List<KeyedValue> rows = storage.table(RecoveryPoints.SNAPSHOTS).scan("");
    assertThat(rows).isNotEmpty().extracting(r -> r.key().substring(0, r.key().indexOf('/'))).containsOnly(
        rows.get(0).key().substring(0, rows.get(0).key().indexOf('/')));
    String snapshot = new String(inflate(rows), StandardCharsets.ISO_8859_1);
    assertThat(snapshot).contains("subject-of-v-").doesNotContain("card-");

    // Once a visit's key is destroyed, its admission comes back as the keyed subject only.
    seal.credentials.clear();
    Store restarted = newStore(storage, IngestSettings.DEFAULTS);
    restarted.log.recover();
    assertThat(restarted.stage.admissions).isNotEmpty().allSatisfy(a ->
        assertThat(a.credential().erased()).isTrue());
  }

  @Test
  void aPipelineWithAStageThatCannotBeSnapshottedRestartsAsItsStagesNeed() throws Exception {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    int half = DAY.size() / 2;
    send(newStore(storage, IngestSettings.DEFAULTS, Long.MIN_VALUE), DAY.subList(0, half));

    assertThat(storage.table(RecoveryPoints.SNAPSHOTS).scan("")).isEmpty();
    assertThat(newStore(storage, IngestSettings.DEFAULTS, Long.MIN_VALUE).log.recover()).isEqualTo(half);
  }

  @Test
  void aStageThatKeepsItsStateInStorageNeedsNoSnapshotOfItsOwn() throws Exception {
    InMemoryStoreStorage storage = new InMemoryStoreStorage();
    int half = DAY.size() / 2;
    send(newStore(storage, IngestSettings.DEFAULTS, 0L), DAY.subList(0, half));

    assertThat(storage.table(RecoveryPoints.SNAPSHOTS).scan("")).isNotEmpty();
    assertThat(newStore(storage, IngestSettings.DEFAULTS, 0L).log.recover()).isLessThan(half / 5);
  }

  @Test
  void aSnapshotRestoresOnlyIntoAPipelineOfTheSameStagesThatHasSeenNoInput() throws Exception {
    Store store = newStore(new InMemoryStoreStorage(), IngestSettings.DEFAULTS);
    send(store, DAY.subList(0, 100));
    StorePipeline.PipelineState state = store.pipeline.snapshot(new AdmissionSeal(seal)).orElseThrow();

    assertThatThrownBy(() -> store.pipeline.restore(state.clock(), state.stages(), new AdmissionSeal(seal)))
        .isInstanceOf(IllegalStateException.class);
    Store other = newStore(new InMemoryStoreStorage(), IngestSettings.DEFAULTS);
    assertThatThrownBy(() -> other.pipeline.restore(state.clock(),
        List.of(state.stages().get(0).toBuilder().setStage("someone-else").build()), new AdmissionSeal(seal)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no state of stage");
  }

  private Store newStore(StoreStorage storage, IngestSettings settings) {
    return newStore(storage, settings, null);
  }

  /**
   * A store whose pipeline also has a stage without a snapshot of its own that needs the last {@code plainNeeds}
   * ms of input after a restart (MIN_VALUE: all); none if null.
   */
  private Store newStore(StoreStorage storage, IngestSettings settings, @Nullable Long plainNeeds) {
    Store store = new Store(storage, clock, settings, seal, plainNeeds);
    stores.add(store);
    return store;
  }

  /** Sends the messages a few seconds of event time at a time, as a store's gateways do, and waits for them. */
  private static void send(Store store, List<SensorEventMessage> messages) throws Exception {
    List<IngestAck> acks = new CopyOnWriteArrayList<>();
    for (int from = 0; from < messages.size(); from += 20) {
      for (SensorEventMessage m : messages.subList(from, Math.min(messages.size(), from + 20))) {
        store.log.offer(m, acks::add, e -> { });
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      store.log.afterPending(() -> done.complete(null));
      done.get(30, TimeUnit.SECONDS);
    }
    assertThat(acks).hasSize(messages.size()).allSatisfy(a -> assertThat(a.getOutcome() == IngestAck.Outcome.ACCEPTED
        || a.getReason() == dev.jwo.core.v1.RejectionReason.DUPLICATE).as(a.getMessage()).isTrue());
  }

  private static byte[] inflate(List<KeyedValue> rows) throws IOException {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    rows.forEach(r -> packed.writeBytes(r.value().value()));
    try (InputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(packed.toByteArray()))) {
      return in.readAllBytes();
    }
  }

  private static List<SensorEventMessage> day() {
    List<SensorEventMessage> messages = new ArrayList<>();
    long sequence = 0;
    for (int i = 0; i < 30 * 60 * 4; i++) {
      long ts = T + i * 250L;
      if (i % 240 == 0) {
        // Shoppers come in every minute and never leave: the store is never empty.
        messages.add(SensorEventMessage.newBuilder().setSource("gate").setSequence(i / 240 + 1).setTsMs(ts)
            .setEntry(EntryScan.newBuilder().setGate("in-1").setCredential("card-" + (4000 + i / 240))
                .setPartySize(1 + i / 240 % 3)).build());
      }
      // Every seventh reading arrives 600 ms late (within the reordering window); every eleventh is sent twice.
      long readingTs = i % 7 == 3 ? ts - 600 : ts;
      SensorEventMessage reading = SensorEventMessage.newBuilder().setSource("cells").setSequence(++sequence)
          .setTsMs(readingTs).setWeight(WeightReading.newBuilder().setBin(i % 2 == 0 ? "A1-1" : "A1-2")
              .setGrams(6_000.0 + (i * 37 % 1_000))).build();
      messages.add(reading);
      if (i % 11 == 5) {
        messages.add(reading.toBuilder().setSequence(++sequence).build());
      }
    }
    return messages;
  }

  /**
   * A stage whose state depends on every event it was given, in order: a digest of them, their count, and the
   * admissions seen.
   */
  private static class DigestStage implements SensorEventHandler, SnapshotStage {
    int version = 1;
    long digest = 17;
    long events;
    final List<Admission> admissions = new ArrayList<>();

    @Override
    public PipelineStage stage() {
      return PipelineStage.SESSIONS;
    }

    @Override
    public void onEvent(SensorEvent event) {
      events++;
      long value = event instanceof WeightEvent w ? Double.hashCode(w.grams()) + w.bin().hashCode() : 7;
      digest = digest * 31 + event.ts() * 13 + value;
      if (event instanceof EntryEvent entry) {
        admissions.add(Admission.from(entry));
      }
    }

    @Override
    public String snapshotName() {
      return "digest";
    }

    @Override
    public int snapshotVersion() {
      return version;
    }

    @Override
    public ByteString exportState(SnapshotSeal seal) {
      ByteString.Output bytes = ByteString.newOutput();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      try {
        out.writeInt64NoTag(digest);
        out.writeInt64NoTag(events);
        for (Admission admission : admissions) {
          out.writeBytesNoTag(seal.seal(admission).toByteString());
        }
        out.flush();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return bytes.toByteString();
    }

    @Override
    public void restoreState(int version, ByteString state, SnapshotSeal seal) {
      if (version > this.version) {
        throw new IllegalArgumentException("the digest stage reads versions up to " + this.version + ", not "
            + version);
      }
      CodedInputStream in = state.newCodedInput();
      admissions.clear();
      try {
        digest = in.readInt64();
        events = in.readInt64();
        while (!in.isAtEnd()) {
          admissions.add(seal.open(AdmissionState.parseFrom(in.readBytes())));
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("the digest stage's state cannot be read", e);
      }
    }
  }

  /** Keeps entries' credentials in memory by visit, as a key table would; clearing it destroys them. */
  private static final class KeptSeal implements CredentialSeal {
    final Map<VisitId, Credential> credentials = new ConcurrentHashMap<>();

    @Override
    public EntryScan seal(VisitId visit, EntryScan entry) {
      credentials.put(visit, Credential.of(entry.getCredential()));
      return entry.toBuilder().clearCredential().setSealedCredential(ByteString.copyFromUtf8("sealed"))
          .setCredentialSubject("subject-of-" + visit.value()).build();
    }

    @Override
    public Optional<Credential> open(VisitId visit, EntryScan sealed) {
      return Optional.ofNullable(credentials.get(visit));
    }
  }

  /** The ingest log in front of a pipeline of one digesting stage (and, if asked, one without a snapshot). */
  private static final class Store {
    final DigestStage stage = new DigestStage();
    final StorePipeline pipeline;
    final IngestLog log;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    Store(StoreStorage storage, TestClock clock, IngestSettings settings, CredentialSeal seal,
        @Nullable Long plainNeeds) {
      SensorEventHandler plain = new SensorEventHandler() {
        @Override
        public PipelineStage stage() {
          return PipelineStage.OBSERVERS;
        }

        @Override
        public void onEvent(SensorEvent event) {}

        @Override
        public long needsInputSince(long ts) {
          return plainNeeds == null || plainNeeds == Long.MIN_VALUE ? Long.MIN_VALUE : ts - plainNeeds;
        }
      };
      pipeline = new StorePipeline(TestStores.small(), plainNeeds != null ? Set.of(stage, plain) : Set.of(stage),
          new PipelineSettings(1_000), registry);
      log = new IngestLog(pipeline, storage, registry, settings, clock,
          new DeclaredFeaturesIntake(TestStores.small(), registry), seal, Runnable::run);
    }
  }
}
