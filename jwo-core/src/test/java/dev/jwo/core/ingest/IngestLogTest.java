package dev.jwo.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.Credential;
import dev.jwo.core.TestClock;
import dev.jwo.core.TestStores;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.EntryEvent;
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
import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.WeightReading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestLogTest {
  private static final long T = 1_764_410_400_000L;

  private final FailingStorage storage = new FailingStorage(new InMemoryStoreStorage());
  private final TestClock clock = new TestClock(T + 60_000);
  private final List<Store> stores = new ArrayList<>();
  /** How the stores made next keep entries' credentials out of the journal. */
  private CredentialSeal seal = CredentialSeal.NONE;

  @AfterEach
  void closeLogs() {
    stores.forEach(s -> s.log.close());
  }

  @Test
  void aMessageIsInTheJournalBeforeItIsAcknowledged() throws Exception {
    Store store = newStore();
    List<List<Long>> journaledAtAck = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    store.log.offer(weight("gw-1", 1, T), ack -> journaledAtAck.add(journaledSequences()),
        done::completeExceptionally);
    store.log.offer(weight("gw-1", 2, T + 100), ack -> journaledAtAck.add(journaledSequences()),
        done::completeExceptionally);
    store.log.afterPending(() -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);

    assertThat(journaledAtAck).hasSize(2);
    assertThat(journaledAtAck.get(0)).contains(1L);
    assertThat(journaledAtAck.get(1)).containsExactly(1L, 2L);
    assertThat(store.pipeline.stats().accepted()).isEqualTo(2);
  }

  @Test
  void aMessageSentAgainIsAcknowledgedOnceMoreButProcessedOnce() throws Exception {
    Store store = newStore();
    List<IngestAck> acks = send(store, weight("gw-1", 1, T), weight("gw-1", 2, T + 100), weight("gw-1", 2, T + 100));

    assertThat(acks).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(acks.get(2).getMessage()).contains("already received");
    assertThat(store.pipeline.stats().accepted()).isEqualTo(2);
    assertThat(journaledSequences()).containsExactly(1L, 2L);
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
  void inputIsJournaledDeflatedAndReadBackWhole() throws Exception {
    Store first = newStore();
    SensorEventMessage[] messages = new SensorEventMessage[500];
    for (int i = 0; i < messages.length; i++) {
      messages[i] = weight("gw-1", i + 1, T + i * 100L);
    }
    // The writer waits in the first commit while the messages queue, so they are committed together.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    storage.blockAppends.set(release);
    first.log.offer(heartbeat("gw-0", 1, T), ack -> { }, e -> { });
    assertThat(storage.appendStarted.await(10, TimeUnit.SECONDS)).isTrue();
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    for (SensorEventMessage m : messages) {
      first.log.offer(m, outcomes::add, outcomes::add);
    }
    release.countDown();
    CompletableFuture<Void> done = new CompletableFuture<>();
    first.log.afterPending(() -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
    assertThat(outcomes).hasSize(messages.length).allSatisfy(o -> assertThat(o).isInstanceOf(IngestAck.class));

    long serialized = 0;
    for (SensorEventMessage m : messages) {
      serialized += m.getSerializedSize();
    }
    long journaled = 0;
    for (var entry : storage.journal().read(IngestLog.STREAM, 1, 1_000)) {
      assertThat(entry.record().type()).isEqualTo("sensor-batch-deflated/v1");
      journaled += entry.record().payload().length;
    }
    assertThat(journaled).as("bytes journaled for %s bytes of messages", serialized).isLessThan(serialized / 2);
    List<SensorEventMessage> read = journaledMessages();
    assertThat(read.subList(1, read.size())).containsExactly(messages);
    assertThat(newStore().log.recover()).isEqualTo(messages.length + 1);
  }

  @Test
  void aLowerSequenceNeverReceivedIsTakenAndATrueDuplicateIsStillRecognised() throws Exception {
    Store store = newStore();
    send(store, weight("gw-1", 1, T), weight("gw-1", 4, T + 300));
    // 3 and 2 arrive after 4 (redelivered or reordered), 2 twice in one batch, then 3 again.
    List<IngestAck> acks = send(store, weight("gw-1", 3, T + 200), weight("gw-1", 2, T + 100),
        weight("gw-1", 2, T + 100), weight("gw-1", 3, T + 200));

    assertThat(acks).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(acks).extracting(IngestAck::getMessage)
        .satisfiesExactly(m -> assertThat(m).isEmpty(), m -> assertThat(m).isEmpty(),
            m -> assertThat(m).contains("already received"), m -> assertThat(m).contains("already received"));
    assertThat(journaledSequences()).containsExactly(1L, 4L, 3L, 2L);
    assertThat(store.pipeline.stats().accepted()).isEqualTo(4);
    assertThat(counted(store, "gw-1", "already_received", "none")).isEqualTo(2);
  }

  @Test
  void whichLowerSequencesWereReceivedSurvivesARestartFromACheckpoint() throws Exception {
    IngestSettings settings = IngestSettings.DEFAULTS.withCheckpointEvery(java.time.Duration.ofSeconds(5));
    Store first = newStore(settings, 10_000);
    clock.set(T + 600_000);
    // Every sequence but 50 and 120; the gaps lie long before what a restart replays.
    for (int i = 1; i <= 300; i++) {
      if (i != 50 && i != 120) {
        send(first, weight("gw-1", i, T + i * 1_000L));
      }
    }
    Store restarted = newStore(settings, 10_000);
    assertThat(restarted.log.recover()).as("replayed").isLessThan(150);

    // 49 was taken long before the replayed input: still recognised. 50 never came: taken now, once.
    assertThat(send(restarted, weight("gw-1", 49, T + 49_000)).get(0).getMessage()).contains("already received");
    List<IngestAck> acks = send(restarted, weight("gw-1", 50, T + 300_500), weight("gw-1", 50, T + 300_500),
        weight("gw-1", 120, T + 300_600));
    assertThat(acks).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(acks).extracting(IngestAck::getMessage)
        .satisfiesExactly(m -> assertThat(m).isEmpty(), m -> assertThat(m).contains("already received"),
            m -> assertThat(m).isEmpty());
    assertThat(journaledSequences()).containsSubsequence(300L, 50L, 120L).doesNotHaveDuplicates();
  }

  @Test
  void aSequenceBelowTheRememberedWindowIsRejectedPreciselyAndCounted() throws Exception {
    Store store = newStore(IngestSettings.DEFAULTS.withSequenceWindow(64), Long.MIN_VALUE);
    send(store, weight("gw-1", 10, T), weight("gw-1", 100, T + 100));

    List<IngestAck> acks = send(store, weight("gw-1", 20, T + 10), weight("gw-1", 36, T + 36),
        weight("gw-1", 37, T + 37));

    assertThat(acks.get(0).getOutcome()).isEqualTo(IngestAck.Outcome.REJECTED);
    assertThat(acks.get(0).getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.SEQUENCE_TOO_OLD);
    assertThat(acks.get(0).getMessage()).contains("sequence 20", "100", "64");
    assertThat(acks.get(1).getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.SEQUENCE_TOO_OLD);
    assertThat(acks.get(2).getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED);
    assertThat(acks.get(2).getMessage()).isEmpty();
    assertThat(counted(store, "gw-1", "rejected", "sequence_too_old")).isEqualTo(2);
    assertThat(journaledSequences()).containsExactly(10L, 100L, 37L);
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
  void anInvalidMessageIsRejectedWithoutBeingJournaled() throws Exception {
    Store first = newStore();
    SensorEventMessage unknownBin = SensorEventMessage.newBuilder().setSource("gw-1").setSequence(1).setTsMs(T)
        .setWeight(WeightReading.newBuilder().setBin("Z9").setGrams(1)).build();
    IngestAck ack = send(first, unknownBin, weight("gw-1", 2, T)).get(0);
    assertThat(ack.getOutcome()).isEqualTo(IngestAck.Outcome.REJECTED);
    assertThat(ack.getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.UNKNOWN_ID);
    assertThat(ack.getMessage()).contains("Z9");
    assertThat(journaledMessages()).extracting(SensorEventMessage::getSequence).containsExactly(2L);
    assertThat(counted(first, "gw-1", "rejected", "unknown_id")).isEqualTo(1);

    Store second = newStore();
    second.log.recover();
    assertThat(second.pipeline.stats().rejected()).isEmpty();
    assertThat(second.pipeline.stats().accepted()).isEqualTo(1);
  }

  @Test
  void aMessageLargerThanTheLimitIsRejectedAndTheLogGoesOn() throws Exception {
    Store store = newStore();
    SensorEventMessage.Builder huge = SensorEventMessage.newBuilder().setSource("cam-gw").setSequence(1).setTsMs(T);
    CameraFrame.Builder frame = CameraFrame.newBuilder().setCamera("cam-1");
    for (int i = 0; i < 60; i++) {
      PersonDetection.Builder person = PersonDetection.newBuilder()
          .setPosition(dev.jwo.core.v1.Position.newBuilder().setX(1).setY(1));
      for (int k = 0; k < 600; k++) {
        person.addFeatures(k);
      }
      frame.addPeople(person);
    }
    SensorEventMessage tooBig = huge.setFrame(frame).build();
    assertThat(tooBig.getSerializedSize()).isGreaterThan(IngestSettings.DEFAULTS.maxMessageBytes());

    List<IngestAck> acks = send(store, tooBig, weight("cam-gw", 2, T + 10), weight("gw-1", 1, T + 20));

    assertThat(acks.get(0).getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.TOO_LARGE);
    assertThat(acks.get(0).getMessage()).contains("at most 262144");
    assertThat(acks.subList(1, 3)).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(journaledMessages()).hasSize(2);
  }

  @Test
  void anEventTimeFarAheadCannotPoisonTheStoreNowOrAfterARestart() throws Exception {
    Store store = newStore();
    List<IngestAck> acks = send(store, weight("gw-1", 1, T), heartbeat("gw-2", 1, 10_000_000_000_000L),
        weight("gw-1", 2, T + 500), heartbeat("gw-2", 2, T + 2_600), weight("gw-1", 3, T + 2_000));

    assertThat(acks.get(1).getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.AHEAD_OF_TIME);
    assertThat(acks.get(1).getMessage()).contains("ahead of the store's clock").contains("check the gateway's clock");
    assertThat(acks).extracting(IngestAck::getOutcome).containsExactly(IngestAck.Outcome.ACCEPTED,
        IngestAck.Outcome.REJECTED, IngestAck.Outcome.ACCEPTED, IngestAck.Outcome.ACCEPTED, IngestAck.Outcome.ACCEPTED);
    assertThat(store.pipeline.eventTime()).isLessThan(T + 3_000);

    Store restarted = newStore();
    restarted.log.recover();
    assertThat(restarted.pipeline.eventTime()).isEqualTo(store.pipeline.eventTime());
    assertThat(send(restarted, weight("gw-1", 4, T + 2_700))).extracting(IngestAck::getOutcome)
        .containsExactly(IngestAck.Outcome.ACCEPTED);
  }

  @Test
  void anEventTimeFarAheadOfTheStoresEventsIsRejectedUnlessItIsAsRecentAsTheClock() throws Exception {
    clock.set(T + 3_600_000);
    Store store = newStore();
    List<IngestAck> acks = send(store, weight("gw-1", 1, T), weight("gw-1", 2, T + 600_000),
        weight("gw-1", 3, T + 1_000), weight("gw-1", 4, T + 3_600_000));

    assertThat(acks).extracting(IngestAck::getOutcome).containsExactly(IngestAck.Outcome.ACCEPTED,
        IngestAck.Outcome.REJECTED, IngestAck.Outcome.ACCEPTED, IngestAck.Outcome.ACCEPTED);
    assertThat(acks.get(1).getMessage()).contains("ahead of the newest event the store has seen");
  }

  @Test
  void inputWaitingForABusyPipelineDoesNotMakeTheNextMessagesLookFarAhead() throws Exception {
    clock.set(T + 3_600_000);
    Store store = newStore();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch inHandler = blockPipeline(store, release);
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    store.log.offer(weight("gw-1", 1, T), outcomes::add, outcomes::add);
    store.log.offer(weight("gw-1", 2, T + 40_000), outcomes::add, outcomes::add);
    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
    // The pipeline is busy with the first reading: it has seen nothing newer than T. Each message below is 40 s
    // after the one before, well within the store's lead, though beyond it from what the pipeline has seen.
    store.log.offer(weight("gw-1", 3, T + 80_000), outcomes::add, outcomes::add);
    awaitJournaled(3L);
    store.log.offer(weight("gw-1", 4, T + 120_000), outcomes::add, outcomes::add);

    release.countDown();
    awaitPending(store);
    assertThat(outcomes).hasSize(4).allSatisfy(o -> assertThat(o).isInstanceOf(IngestAck.class));
    assertThat(outcomes).extracting(o -> ((IngestAck) o).getOutcome()).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(journaledSequences()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void anImplausibleSequenceIsRejectedAndDoesNotSilenceTheSource() throws Exception {
    Store store = newStore();
    List<IngestAck> acks = send(store, weight("gw-1", 1, T), weight("gw-1", -1L, T + 100),
        weight("gw-1", 2, T + 200), weight("gw-new", -1L, T + 300), weight("gw-1", 3, T + 400));

    assertThat(acks).extracting(IngestAck::getOutcome).containsExactly(IngestAck.Outcome.ACCEPTED,
        IngestAck.Outcome.REJECTED, IngestAck.Outcome.ACCEPTED, IngestAck.Outcome.REJECTED, IngestAck.Outcome.ACCEPTED);
    assertThat(acks.get(1).getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.BAD_SOURCE);
    assertThat(acks.get(1).getMessage()).contains("18446744073709551615").contains("jumps more than");
    assertThat(acks.get(3).getMessage()).contains("new source");
    assertThat(acks).extracting(IngestAck::getMessage).element(2).isEqualTo("");
    assertThat(store.pipeline.stats().accepted()).isEqualTo(3);
  }

  @Test
  void aMessageWithoutSourceOrWithAReservedSourceIsRejected() throws Exception {
    Store store = newStore();
    List<IngestAck> acks = send(store, weight("", 1, T), weight(IngestLog.ADMISSIONS_SOURCE, 1, T),
        weight("gw 1", 1, T));

    assertThat(acks).extracting(IngestAck::getReason).containsOnly(dev.jwo.core.v1.RejectionReason.BAD_SOURCE);
    assertThat(acks.get(0).getMessage()).contains("names no source");
    assertThat(acks.get(1).getMessage()).contains("reserved");
    assertThat(journaledMessages()).isEmpty();
  }

  @Test
  void valuesBeyondTheStoresLimitsAreRejectedBeforeTheyAreJournaled() throws Exception {
    Store store = newStore();
    SensorEventMessage hugeParty = SensorEventMessage.newBuilder().setSource("gate").setSequence(1).setTsMs(T)
        .setEntry(EntryScan.newBuilder().setGate("in-1").setCredential("c-1").setPartySize(2_000_000_000)).build();
    SensorEventMessage farAway = frame(2, T, PersonDetection.newBuilder()
        .setPosition(dev.jwo.core.v1.Position.newBuilder().setX(1e9).setY(1)));
    PersonDetection.Builder manyFeatures = PersonDetection.newBuilder()
        .setPosition(dev.jwo.core.v1.Position.newBuilder().setX(1).setY(1));
    for (int i = 0; i < 5_000; i++) {
      manyFeatures.addFeatures(0.1);
    }
    SensorEventMessage wide = frame(3, T, manyFeatures);
    SensorEventMessage heavy = weight("gate", 4, T).toBuilder()
        .setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(5e7)).build();

    List<IngestAck> acks = send(store, hugeParty, farAway, wide, heavy);

    assertThat(acks).extracting(IngestAck::getReason).containsOnly(dev.jwo.core.v1.RejectionReason.INVALID_VALUE);
    assertThat(acks.get(0).getMessage()).contains("party of 2000000000").contains("at most 12");
    assertThat(acks.get(1).getMessage()).contains("beyond the 12.0 x 8.0 m floor");
    assertThat(acks.get(2).getMessage()).contains("5000 values").contains("at most 512");
    assertThat(acks.get(3).getMessage()).contains("out of range");
    assertThat(journaledMessages()).isEmpty();
  }

  @Test
  void aWriterFailureFailsItsBatchAndTheNextBatchIsTaken() throws Exception {
    Store store = newStore();
    send(store, weight("gw-1", 1, T));
    storage.breakNextAppend.set(true);
    List<Object> outcomes = sendCollecting(store, weight("gw-1", 2, T + 100));
    assertThat(outcomes).singleElement().isInstanceOf(StorageException.class);
    assertThat((StorageException) outcomes.get(0)).hasMessageContaining("bug in the storage");

    List<IngestAck> acks = send(store, weight("gw-1", 2, T + 100), weight("gw-1", 3, T + 200));
    assertThat(acks).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    assertThat(store.pipeline.stats().accepted()).isEqualTo(3);
  }

  @Test
  void theNextBatchIsCommittedWhileThePipelineProcessesThePreviousOneButAcknowledgedOnlyInOrderAfterIt()
      throws Exception {
    Store store = newStore();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch inHandler = blockPipeline(store, release);
    List<Long> acked = new CopyOnWriteArrayList<>();
    List<Object> failures = new CopyOnWriteArrayList<>();
    store.log.offer(weight("gw-1", 1, T), ack -> acked.add(ack.getSequence()), failures::add);
    // Moves event time a window past the first reading: the pipeline thread hands it to the (blocking) handler.
    store.log.offer(weight("gw-1", 2, T + 2_000), ack -> acked.add(ack.getSequence()), failures::add);
    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();

    store.log.offer(weight("gw-1", 3, T + 2_100), ack -> acked.add(ack.getSequence()), failures::add);
    awaitJournaled(3L);
    assertThat(journaledSequences()).containsExactly(1L, 2L, 3L);
    assertThat(acked).containsExactly(1L);

    release.countDown();
    awaitPending(store);
    assertThat(acked).containsExactly(1L, 2L, 3L);
    assertThat(failures).isEmpty();
    assertThat(store.pipeline.stats().accepted()).isEqualTo(3);
  }

  @Test
  void aFailureWhileProcessingFailsThatBatchOnlyAndLaterInputIsTakenInOrder() throws Exception {
    Store store = newStore();
    send(store, weight("gw-1", 1, T));
    store.onEvent = event -> {
      throw new AssertionError("bug in a stage");
    };
    List<Object> outcomes = sendCollecting(store, weight("gw-1", 2, T + 2_000));
    assertThat(outcomes).singleElement().isInstanceOf(StorageException.class);
    assertThat((StorageException) outcomes.get(0)).hasMessageContaining("bug in a stage");

    store.onEvent = event -> {};
    List<IngestAck> acks = send(store, weight("gw-1", 3, T + 4_000), weight("gw-1", 4, T + 6_000));
    assertThat(acks).extracting(IngestAck::getSequence).containsExactly(3L, 4L);
    assertThat(acks).extracting(IngestAck::getOutcome).containsOnly(IngestAck.Outcome.ACCEPTED);
    // The failed batch's event left the handler mid-way; the later ones went through, in order.
    assertThat(store.handled).extracting(SensorEvent::ts).containsExactly(T + 2_000, T + 4_000);
  }

  @Test
  void inputCommittedByAnAppendThatSeemedToFailIsProcessedOnceAndRecognisedWhenSentAgain() throws Exception {
    Store store = newStore();
    send(store, weight("gw-1", 1, T));
    storage.commitThenFailNextAppend.set(true);
    List<Object> outcomes = sendCollecting(store, weight("gw-1", 2, T + 100));
    assertThat(outcomes).singleElement().isInstanceOf(StorageException.class);
    assertThat(store.pipeline.stats().accepted()).isEqualTo(2);

    List<IngestAck> acks = send(store, weight("gw-1", 2, T + 100), weight("gw-1", 3, T + 200));
    assertThat(acks.get(0).getMessage()).contains("already received");
    assertThat(acks.get(1).getMessage()).isEmpty();
    assertThat(store.pipeline.stats().accepted()).isEqualTo(3);
    assertThat(journaledSequences()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aStalledWriterIsReportedAfterTheStallTime() throws Exception {
    Store store = newStore();
    store.log.recover();
    assertThat(store.log.stalledFor()).isEmpty();
    java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
    storage.blockAppends.set(blocked);
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    store.log.offer(weight("gw-1", 1, T), outcomes::add, outcomes::add);
    storage.appendStarted.await(10, TimeUnit.SECONDS);
    clock.advance(5_000);
    assertThat(store.log.stalledFor()).isEmpty();
    clock.advance(6_000);
    assertThat(store.log.stalledFor()).hasValueSatisfying(d -> assertThat(d.toMillis()).isEqualTo(11_000));

    blocked.countDown();
    send(store, weight("gw-1", 2, T + 100));
    assertThat(store.log.stalledFor()).isEmpty();
    assertThat(outcomes).hasSize(1);
  }

  @Test
  void admissionsAtOneGateBetweenTwoSensorEventsGetTheirOwnTimesAndSoTheirOwnVisits() throws Exception {
    Store store = newStore();
    send(store, weight("gw-1", 1, T));
    List<Long> times = new ArrayList<>();
    for (String credential : List.of("c-ann", "c-ben", "c-cy")) {
      CompletableFuture<IngestLog.Admitted> admitted = new CompletableFuture<>();
      store.log.admit(SensorEventMessage.newBuilder().setEntry(
              EntryScan.newBuilder().setGate("in-1").setCredential(credential).setPartySize(1)).build(),
          admitted::complete, admitted::completeExceptionally);
      times.add(admitted.get(10, TimeUnit.SECONDS).message().getTsMs());
    }
    assertThat(times).containsExactly(T, T + 1, T + 2);

    // After a restart the next admission still comes after the journaled ones.
    Store restarted = newStore();
    restarted.log.recover();
    CompletableFuture<IngestLog.Admitted> next = new CompletableFuture<>();
    restarted.log.admit(SensorEventMessage.newBuilder().setEntry(
            EntryScan.newBuilder().setGate("in-1").setCredential("c-di").setPartySize(1)).build(),
        next::complete, next::completeExceptionally);
    assertThat(next.get(10, TimeUnit.SECONDS).message().getTsMs()).isEqualTo(T + 3);
  }

  @Test
  void anAdmissionIsJournaledInEventTimeAndSurvivesARestart() throws Exception {
    Store store = newStore();
    send(store, weight("gw-1", 1, T), weight("gw-1", 2, T + 4_000));
    CompletableFuture<IngestLog.Admitted> admitted = new CompletableFuture<>();
    store.log.admit(SensorEventMessage.newBuilder().setEntry(
            EntryScan.newBuilder().setGate("in-1").setCredential("c-app").setPartySize(2)).build(),
        admitted::complete, admitted::completeExceptionally);
    IngestLog.Admitted result = admitted.get(10, TimeUnit.SECONDS);

    assertThat(result.ack().getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED);
    assertThat(result.message().getTsMs()).isEqualTo(T + 4_000);
    assertThat(result.message().getSource()).isEqualTo(IngestLog.ADMISSIONS_SOURCE);
    assertThat(journaledMessages()).extracting(SensorEventMessage::getSource).contains(IngestLog.ADMISSIONS_SOURCE);

    Store restarted = newStore();
    restarted.log.recover();
    send(restarted, heartbeat("gw-1", 3, T + 9_000));
    assertThat(restarted.handled).filteredOn(e -> e instanceof dev.jwo.core.event.EntryEvent).singleElement()
        .satisfies(e -> assertThat(e.ts()).isEqualTo(T + 4_000));
  }

  @Test
  void anAdmissionBeyondThePartyLimitIsRejected() throws Exception {
    Store store = newStore();
    CompletableFuture<IngestLog.Admitted> admitted = new CompletableFuture<>();
    store.log.admit(SensorEventMessage.newBuilder().setEntry(
            EntryScan.newBuilder().setGate("in-1").setCredential("c-app").setPartySize(100_000)).build(),
        admitted::complete, admitted::completeExceptionally);

    IngestAck ack = admitted.get(10, TimeUnit.SECONDS).ack();
    assertThat(ack.getOutcome()).isEqualTo(IngestAck.Outcome.REJECTED);
    assertThat(ack.getMessage()).contains("at most 12 people");
    assertThat(journaledMessages()).isEmpty();
  }

  @Test
  void aRestartReplaysOnlyTheInputThePipelineStillNeeds() throws Exception {
    IngestSettings settings = IngestSettings.DEFAULTS.withCheckpointEvery(java.time.Duration.ofSeconds(5));
    Store first = newStore(settings, 10_000);
    clock.set(T + 600_000);
    for (int i = 1; i <= 300; i++) {
      send(first, weight("gw-1", i, T + i * 1_000L));
    }
    Store restarted = newStore(settings, 10_000);

    long replayed = restarted.log.recover();

    // Needed: the last 10 s, plus a minute's margin and the minute the index rounds to: far less than 300.
    assertThat(replayed).isBetween(11L, 135L);
    assertThat(restarted.handled).isNotEmpty().allSatisfy(e -> assertThat(e.ts()).isGreaterThan(T + 150_000));
    assertThat(send(restarted, weight("gw-1", 2, T + 2_000)).get(0).getMessage()).contains("already received");
    assertThat(send(restarted, weight("gw-1", 301, T + 301_000)).get(0).getMessage()).isEmpty();
  }

  @Test
  void inputNeitherNeededNorRetainedIsDiscarded() throws Exception {
    IngestSettings settings = IngestSettings.DEFAULTS.withCheckpointEvery(java.time.Duration.ofSeconds(5))
        .withInputRetention(java.time.Duration.ofSeconds(30));
    Store store = newStore(settings, 10_000);
    clock.set(T + 600_000);
    for (int i = 1; i <= 300; i++) {
      send(store, weight("gw-1", i, T + i * 1_000L));
    }

    List<SensorEventMessage> kept = journaledMessages();
    assertThat(kept.get(0).getTsMs()).as("the oldest input kept").isGreaterThan(T + 150_000);
    assertThat(kept.get(kept.size() - 1).getSequence()).isEqualTo(300);
  }

  @Test
  void aStageThatNeedsAllInputKeepsItAll() throws Exception {
    IngestSettings settings = IngestSettings.DEFAULTS.withCheckpointEvery(java.time.Duration.ofSeconds(5))
        .withInputRetention(java.time.Duration.ZERO);
    Store store = newStore(settings, Long.MIN_VALUE);
    clock.set(T + 600_000);
    for (int i = 1; i <= 100; i++) {
      send(store, weight("gw-1", i, T + i * 1_000L));
    }

    assertThat(journaledMessages()).hasSize(100);
    assertThat(newStore(settings, Long.MIN_VALUE).log.recover()).isEqualTo(100);
  }

  @Test
  void anEntrysCredentialIsJournaledSealedAndOpenedOnReplayUntilItsKeyIsDestroyed() throws Exception {
    KeptSeal kept = new KeptSeal();
    seal = kept;
    Store first = newStore();
    SensorEventMessage entry = SensorEventMessage.newBuilder().setSource("gate").setSequence(1).setTsMs(T)
        .setEntry(EntryScan.newBuilder().setGate("in-1").setCredential("c-secret-4242").setPartySize(1)).build();
    assertThat(send(first, entry, heartbeat("gate", 2, T + 10_000))).extracting(IngestAck::getOutcome)
        .containsOnly(IngestAck.Outcome.ACCEPTED);

    assertThat(((EntryEvent) first.handled.get(0)).credential()).isEqualTo(Credential.of("c-secret-4242"));
    assertThat(journaledMessages()).filteredOn(SensorEventMessage::hasEntry).singleElement().satisfies(m -> {
      assertThat(m.getEntry().getCredential()).isEmpty();
      assertThat(m.getEntry().getCredentialSubject()).isEqualTo("subject-of-v-" + T + "-in-1");
    });
    assertThat(journaledMessages()).allSatisfy(m ->
        assertThat(new String(m.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("c-secret"));

    Store second = newStore();
    second.log.recover();
    assertThat(second.handled).isEqualTo(first.handled);

    kept.credentials.clear();
    Store third = newStore();
    third.log.recover();
    assertThat(((EntryEvent) third.handled.get(0)).credential())
        .isEqualTo(Credential.erasedTo("subject-of-v-" + T + "-in-1"));
  }

  @Test
  void aGatewayCannotSendASealedCredentialOrASubjectInPlaceOfOne() throws Exception {
    Store store = newStore();
    List<IngestAck> acks = send(store,
        SensorEventMessage.newBuilder().setSource("gate").setSequence(1).setTsMs(T).setEntry(EntryScan.newBuilder()
            .setGate("in-1").setCredentialSubject("s-someone").setPartySize(1)).build(),
        SensorEventMessage.newBuilder().setSource("gate").setSequence(2).setTsMs(T).setEntry(EntryScan.newBuilder()
            .setGate("in-1").setCredential("c-1").setSealedCredential(com.google.protobuf.ByteString.copyFromUtf8("x"))
            .setPartySize(1)).build());

    assertThat(acks).allSatisfy(a -> {
      assertThat(a.getOutcome()).isEqualTo(IngestAck.Outcome.REJECTED);
      assertThat(a.getMessage()).contains("only the store itself writes");
    });
    assertThat(journaledMessages()).isEmpty();
  }

  /** Keeps entries' credentials in memory by visit, as a key table would; clearing it destroys them. */
  private static final class KeptSeal implements CredentialSeal {
    final Map<VisitId, Credential> credentials = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public EntryScan seal(VisitId visit, EntryScan entry) {
      credentials.put(visit, Credential.of(entry.getCredential()));
      return entry.toBuilder().clearCredential().setSealedCredential(
          com.google.protobuf.ByteString.copyFromUtf8("sealed")).setCredentialSubject("subject-of-" + visit.value()).build();
    }

    @Override
    public Optional<Credential> open(VisitId visit, EntryScan sealed) {
      return Optional.ofNullable(credentials.get(visit));
    }
  }

  private List<Long> journaledSequences() {
    try {
      return journaledMessages().stream().map(SensorEventMessage::getSequence).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<SensorEventMessage> journaledMessages() throws Exception {
    List<SensorEventMessage> messages = new ArrayList<>();
    for (var entry : storage.journal().read(IngestLog.STREAM, 0, 1_000)) {
      messages.addAll(IngestLog.decode(entry));
    }
    return messages;
  }

  private static double counted(Store store, String source, String outcome, String reason) {
    return store.registry.get("jwo.ingest.messages").tag("source", source).tag("outcome", outcome)
        .tag("reason", reason).counter().count();
  }

  private static SensorEventMessage frame(long sequence, long ts, PersonDetection.Builder person) {
    return SensorEventMessage.newBuilder().setSource("gate").setSequence(sequence).setTsMs(ts)
        .setFrame(CameraFrame.newBuilder().setCamera("cam-1").addPeople(person)).build();
  }

  private Store newStore() {
    return newStore(IngestSettings.DEFAULTS, Long.MIN_VALUE);
  }

  /** A store whose stage needs the last {@code needsMillis} of input after a restart (MIN_VALUE: all of it). */
  private Store newStore(IngestSettings settings, long needsMillis) {
    Store store = new Store(storage, clock, settings, needsMillis, seal);
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
    awaitPending(store);
    return outcomes;
  }

  /** Waits until everything offered to the store's log so far has been processed and acknowledged. */
  private static void awaitPending(Store store) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    store.log.afterPending(() -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
  }

  /**
   * Makes the store's pipeline thread wait in its handler, at its next event, until {@code release} opens; the
   * latch returned opens when it is waiting there.
   */
  private static java.util.concurrent.CountDownLatch blockPipeline(Store store,
      java.util.concurrent.CountDownLatch release) {
    java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
    store.onEvent = event -> {
      inHandler.countDown();
      await(release);
    };
    return inHandler;
  }

  /** Waits (at most 10 s) until a message of that sequence is in the journal. */
  private void awaitJournaled(long sequence) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!journaledSequences().contains(sequence) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Runs on each event the handler gets, on the log's pipeline thread: to block or fail it. */
    volatile java.util.function.Consumer<SensorEvent> onEvent = event -> {};

    Store(StoreStorage storage, TestClock clock, IngestSettings settings, long needsMillis, CredentialSeal seal) {
      SensorEventHandler recorder = new SensorEventHandler() {
        @Override
        public PipelineStage stage() {
          return PipelineStage.OBSERVERS;
        }

        @Override
        public void onEvent(SensorEvent event) {
          onEvent.accept(event);
          handled.add(event);
        }

        @Override
        public long needsInputSince(long ts) {
          return needsMillis == Long.MIN_VALUE ? Long.MIN_VALUE : ts - needsMillis;
        }
      };
      pipeline = new StorePipeline(TestStores.small(), Set.of(recorder), new PipelineSettings(1_000), registry);
      log = new IngestLog(pipeline, storage, registry, settings, clock,
          new DeclaredFeaturesIntake(TestStores.small(), registry), seal, Runnable::run);
    }
  }

  /**
   * Storage whose journal fails the next {@link #failNextAppends} appends, throws an unexpected exception on the
   * next append after {@link #breakNextAppend} is set, or waits in appends while {@link #blockAppends} holds a latch.
   */
  private static final class FailingStorage extends ForwardingStoreStorage {
    final java.util.concurrent.atomic.AtomicInteger failNextAppends = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicBoolean breakNextAppend = new java.util.concurrent.atomic.AtomicBoolean();
    final java.util.concurrent.atomic.AtomicBoolean commitThenFailNextAppend =
        new java.util.concurrent.atomic.AtomicBoolean();
    final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> blockAppends =
        new java.util.concurrent.atomic.AtomicReference<>();
    final java.util.concurrent.CountDownLatch appendStarted = new java.util.concurrent.CountDownLatch(1);
    private final EventJournal journal;

    FailingStorage(StoreStorage delegate) {
      super(delegate);
      journal = new ForwardingEventJournal(delegate.journal()) {
        @Override
        public List<Long> appendAll(List<StreamAppend> appends) {
          appendStarted.countDown();
          java.util.concurrent.CountDownLatch latch = blockAppends.getAndSet(null);
          if (latch != null) {
            try {
              latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (breakNextAppend.getAndSet(false)) {
            throw new IllegalStateException("bug in the storage");
          }
          if (failNextAppends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StorageException("disk full", true);
          }
          if (commitThenFailNextAppend.getAndSet(false)) {
            super.appendAll(appends);
            throw new StorageException("connection lost during the commit", true);
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
