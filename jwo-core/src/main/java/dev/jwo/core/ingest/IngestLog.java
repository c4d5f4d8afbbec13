package dev.jwo.core.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.ingest.IngestCounters.Outcome;
import dev.jwo.core.pipeline.Rejection;
import dev.jwo.core.pipeline.RejectionReason;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StorageNames;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.IngestCheckpoint;
import dev.jwo.core.v1.InputBatch;
import dev.jwo.core.v1.PipelineSnapshot;
import dev.jwo.core.v1.SensorEventMessage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of a store's live sensor input. Every message a gateway sends is checked, then committed to
 * the journal stream {@value #STREAM} before the pipeline sees it and before it is acknowledged, so an acknowledged
 * event survives a crash. A server that restarts on the same storage {@linkplain #recover() replays} the stream
 * through the pipeline first: sessions, tracks and carts are rebuilt exactly, and the durable side effects of the
 * replay (cart ledger entries, payment calls, receipts) are recognised by their positions and idempotency keys
 * instead of being made twice.
 *
 * <p><b>Nothing bad is kept.</b> Before anything is written, each message is checked against the
 * {@link IngestSettings} and the store's layout and {@linkplain dev.jwo.core.pipeline.InputLimits input limits}:
 * size, source and sequence, event time (not ahead of the store's clock, not far ahead of the store's events),
 * ids and values. A message that fails is answered {@code REJECTED} with the reason, counted per source and reason
 * ({@code jwo.ingest.messages}), logged at most once per reason per interval, and never journaled, so it cannot
 * poison the store for others, now or after a restart. Camera features pass the {@link FeatureIntake} before they
 * are written, and an entry's credential is journaled sealed by the {@link CredentialSeal} (opened again on replay
 * while its visit's key is kept).
 *
 * <p>Messages are de-duplicated by {@code (source, sequence)}: a gateway that did not see an acknowledgement
 * (because the server died) sends the message again, and a message already in the log is acknowledged as
 * accepted without being processed twice. For each source the log remembers which of the
 * {@linkplain IngestSettings#sequenceWindow() latest sequences} it took (in its checkpoints too, so also after a
 * restart): a message that arrives out of order within that window is taken if it is new, and one below it is
 * rejected ({@code SEQUENCE_TOO_OLD}), never silently dropped. A rejected message is not remembered as taken.
 *
 * <p>Two threads share the work, in a pipeline of batches. The writer thread takes messages in arrival order,
 * checks them and commits the accepted ones in batches (one commit for everything that queued up while the previous
 * batch was handled); it then hands each committed batch, in commit order, to the pipeline thread, which gives its
 * messages to the {@link StorePipeline} and runs each message's callback, in order. So nothing is processed or
 * acknowledged before it is committed, the pipeline sees input in journal order (as a replay does), and the next
 * batch is checked and committed while the previous one is processed. A failure on either thread fails that batch
 * (its messages must be sent again), never the thread; {@link #stalledFor()} tells a watchdog when input waits
 * without progress.
 */
@Singleton
public final class IngestLog implements AutoCloseable {
  /** The journal stream holding the store's sensor input. */
  public static final String STREAM = "input";
  /** The source of admissions made through the store's own API (see {@link #admit}). */
  public static final String ADMISSIONS_SOURCE = MessageScreen.RESERVED_PREFIX + "admissions";

  private static final Logger log = LoggerFactory.getLogger(IngestLog.class);
  /** One message per record, as earlier releases wrote them; still read. */
  private static final String MESSAGE_RECORD = "sensor-message/v1";
  /** Every message one commit accepted ({@link InputBatch}); written when deflating would not make it smaller. */
  private static final String BATCH_RECORD = "sensor-batch/v1";
  /** Every message one commit accepted ({@link InputBatch}), deflated (sensor input compresses about threefold). */
  private static final String DEFLATED_BATCH_RECORD = "sensor-batch-deflated/v1";
  /** Room left in a record for the batch's own framing. */
  private static final int RECORD_FRAMING_BYTES = 16;
  private static final int MAX_BATCH = 2_000;
  private static final int QUEUE_CAPACITY = 20_000;
  /** Committed batches waiting for the pipeline thread; beyond this the writer waits (bounding memory). */
  private static final int HANDOFF_CAPACITY = 4;
  private static final long RECOVERY_PROGRESS_MILLIS = 10_000;

  private final StorePipeline pipeline;
  private final EventJournal journal;
  private final IngestSettings settings;
  private final Clock clock;
  private final MessageScreen screen;
  private final FeatureIntake intake;
  private final CredentialSeal credentials;
  /** Deflates the journal's batches; used by the writer thread only (its native memory goes with it). */
  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
  private final IngestCounters counters;
  private final MeterRegistry registry;
  private final RecoveryPoints recoveryPoints;
  private final @Nullable ExecutorService ownDiscarder;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  /** Batches the writer has committed (or failed), in order, for the pipeline thread. */
  private final BlockingQueue<Handled> handoff = new ArrayBlockingQueue<>(HANDOFF_CAPACITY);
  /**
   * Which recent sequences of each source were committed. Changed by the writer thread only, under its own lock;
   * the pipeline thread reads it under that lock for checkpoints.
   */
  private final Map<String, SequenceWindow> received = new HashMap<>();
  /** Sources whose messages failed to commit, with the first sequence they must send again (writer thread). */
  private final Map<String, Long> mustResendFrom = new HashMap<>();
  private final DistributionSummary batchSizes;
  private final Timer commits;
  private final Object lifecycle = new Object();
  private long nextPosition;
  /**
   * The newest event time of the messages this log has committed (writer thread): what later input is screened
   * against, with what the pipeline has seen, so that input waiting for a busy pipeline (taking a snapshot, say)
   * does not make the next messages look far ahead of the store.
   */
  private long newestCommitted = Long.MIN_VALUE;
  /** The event time of the newest admission stamped or replayed; the next one is stamped after it. */
  private long lastAdmissionTs = Long.MIN_VALUE;
  private volatile boolean recovering;
  private volatile boolean recovered;
  private volatile boolean busy;
  private volatile boolean processing;
  private volatile long progressAt;
  private @Nullable Thread writer;
  private @Nullable Thread processor;
  private volatile boolean closed;

  /** A log whose intake keeps only declared, non-biometric features ({@link DeclaredFeaturesIntake}). */
  public IngestLog(StorePipeline pipeline, StoreStorage storage, MeterRegistry registry, IngestSettings settings,
      Clock clock, StoreLayout layout) {
    this(pipeline, storage, registry, settings, clock, new DeclaredFeaturesIntake(layout, registry));
  }

  @Inject
  IngestLog(StorePipeline pipeline, StoreStorage storage, MeterRegistry registry, IngestSettings settings,
      Clock clock, StoreIntake intake) {
    this(pipeline, storage, registry, settings, clock, intake.intake(), intake.credentials(), null);
  }

  /**
   * @param intake decides which camera features are received at all, before anything is journaled
   */
  public IngestLog(StorePipeline pipeline, StoreStorage storage, MeterRegistry registry, IngestSettings settings,
      Clock clock, FeatureIntake intake) {
    this(pipeline, storage, registry, settings, clock, intake, CredentialSeal.NONE, null);
  }

  /**
   * @param credentials keeps entries' raw credentials out of the journal
   * @param discarder where discarded input is deleted; null for a thread of the log's own
   */
  IngestLog(StorePipeline pipeline, StoreStorage storage, MeterRegistry registry, IngestSettings settings,
      Clock clock, FeatureIntake intake, CredentialSeal credentials, @Nullable Executor discarder) {
    if (settings.maxMessageBytes() > StorageNames.MAX_PAYLOAD_BYTES - RECORD_FRAMING_BYTES) {
      throw new IllegalArgumentException("messages of up to " + settings.maxMessageBytes()
          + " bytes do not fit a journal record of " + StorageNames.MAX_PAYLOAD_BYTES + " bytes");
    }
    this.pipeline = pipeline;
    this.journal = storage.journal();
    this.settings = settings;
    this.clock = clock;
    this.screen = new MessageScreen(settings, pipeline, clock);
    this.intake = intake;
    this.credentials = credentials;
    this.counters = new IngestCounters(registry, clock, settings.rejectionLogInterval());
    this.registry = registry;
    this.ownDiscarder = discarder == null ? RecoveryPoints.newDiscarder() : null;
    this.recoveryPoints = new RecoveryPoints(storage, settings, discarder != null ? discarder
        : Objects.requireNonNull(ownDiscarder), new AdmissionSeal(credentials));
    this.progressAt = clock.millis();
    this.batchSizes = DistributionSummary.builder("jwo.ingest.batch.size")
        .description("Sensor messages committed together")
        .register(registry);
    this.commits = Timer.builder("jwo.ingest.commit")
        .description("Time to commit a batch of sensor input to the journal")
        .register(registry);
    registry.gauge("jwo.ingest.queued", queue, BlockingQueue::size);
    TimeGauge.builder("jwo.pipeline.lag", this, TimeUnit.MILLISECONDS, IngestLog::lagMillis)
        .description("How far the store's event time is behind its clock (NaN before the first event)")
        .register(registry);
  }

  /**
   * Replays the journaled input through the pipeline (once; later calls do nothing) and starts taking new input.
   * Call before serving; {@link #offer} calls it if nobody did. Progress is logged every few seconds.
   *
   * @return how many messages were replayed
   */
  public long recover() {
    synchronized (lifecycle) {
      if (recovered) {
        return 0;
      }
      recovering = true;
      long replayed = 0;
      long position = 0;
      Optional<IngestCheckpoint> checkpoint = recoveryPoints.load();
      if (checkpoint.isPresent()) {
        int size = settings.sequenceWindow();
        checkpoint.get().getSourcesMap().forEach((source, sequence) ->
            received.put(source, SequenceWindow.allTakenUpTo(size, sequence)));
        checkpoint.get().getReceivedMap().forEach((source, window) ->
            received.put(source, SequenceWindow.fromProto(size, window)));
        position = checkpoint.get().getReplayFrom();
      }
      long refillUntil = 0;
      Optional<PipelineSnapshot> snapshot = usableSnapshot();
      if (snapshot.isPresent()) {
        // Admissions before the snapshot are no later than the newest event it had seen.
        lastAdmissionTs = Math.max(lastAdmissionTs, snapshot.get().getClock().getNewestSeen());
        position = snapshot.get().getCatchUpFrom();
        refillUntil = snapshot.get().getPosition();
        log.info("recovering: restored the pipeline's snapshot at journal position {} (event time {})",
            refillUntil, snapshot.get().getClock().getTime());
      } else if (recoveryPoints.snapshotDiscarded()) {
        position = 0;
      }
      long end = journal.endPosition(STREAM);
      if (position > 0) {
        log.info("recovering: replaying input from journal position {} of {}, the oldest the store still needs "
            + "(event time {})", position, end, checkpoint.get().getNeededSinceTs());
      }
      long lastReport = clock.millis();
      while (true) {
        List<JournalEntry> batch = journal.read(STREAM, position, 200);
        if (batch.isEmpty()) {
          break;
        }
        for (JournalEntry entry : batch) {
          replayed += entry.position() < refillUntil ? refill(entry) : replay(entry);
          position = entry.position() + 1;
        }
        if (clock.millis() - lastReport >= RECOVERY_PROGRESS_MILLIS) {
          lastReport = clock.millis();
          log.info("recovering: replayed {} of {} journaled input records ({} messages)", position, end, replayed);
        }
      }
      nextPosition = position;
      recovered = true;
      recovering = false;
      progressAt = clock.millis();
      Thread processorThread = new Thread(this::process, "jwo-ingest-pipeline");
      processorThread.setDaemon(true);
      processor = processorThread;
      processorThread.start();
      Thread thread = new Thread(this::drain, "jwo-ingest-log");
      thread.setDaemon(true);
      writer = thread;
      thread.start();
      if (replayed > 0) {
        log.info("replayed {} journaled sensor messages; event time is now {}", replayed, pipeline.eventTime());
      }
      return replayed;
    }
  }

  /**
   * The latest pipeline snapshot, restored into the pipeline, if there is one and it can be restored. One that
   * cannot be read or does not fit this pipeline's stages (another release, other modules, damaged rows) is logged
   * once, counted in {@code jwo.ingest.snapshots.unusable} and set aside: the pipeline is left as it was, and
   * recovery replays the input from the first record the journal still holds.
   */
  private Optional<PipelineSnapshot> usableSnapshot() {
    Optional<PipelineSnapshot> snapshot;
    try {
      snapshot = recoveryPoints.loadSnapshot();
      if (snapshot.isPresent()) {
        pipeline.restore(snapshot.get().getClock(), snapshot.get().getStagesList(), new AdmissionSeal(credentials));
      }
      return snapshot;
    } catch (StorageException | IllegalArgumentException e) {
      String reason = e instanceof StorageException ? "unreadable" : "mismatch";
      registry.counter("jwo.ingest.snapshots.unusable", "reason", reason).increment();
      log.warn("recovering: the pipeline snapshot cannot be used ({}); replaying the journaled input from its first"
          + " record instead", e.getMessage());
      recoveryPoints.discardSnapshot();
      return Optional.empty();
    }
  }

  private double lagMillis() {
    long eventTime = pipeline.eventTime();
    return eventTime == Long.MIN_VALUE ? Double.NaN : (double) (clock.millis() - eventTime);
  }

  /** Which features each camera may send now; see {@link FeatureIntake#capturePolicy()}. */
  public Map<CameraId, FeatureKind> capturePolicy() {
    return intake.capturePolicy();
  }

  /** Whether {@link #recover()} has finished and new input is taken. */
  public boolean ready() {
    return recovered && !closed;
  }

  /**
   * Queues a gateway's message. Once it is durable and the pipeline has taken or rejected it, or once it is
   * rejected without being journaled, {@code onAck} is called with its acknowledgement; if the journal fails, or
   * the store is still recovering, {@code onFailure} is called instead and the message is not processed (the
   * gateway should send it again). Callbacks run on the log's pipeline thread, in the order the messages were
   * offered, and must not block. Blocks while the queue is full.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public void offer(SensorEventMessage message, Consumer<IngestAck> onAck, Consumer<StorageException> onFailure)
      throws InterruptedException {
    if (enqueue(new Pending(message, false, onAck, onFailure, null))) {
      return;
    }
    onFailure.accept(new StorageException("the store is recovering its journaled input after a restart; "
        + "send again in a moment", true));
  }

  /**
   * Journals and processes an entry made through the store's own API (the shopper app's admission) as input of
   * source {@value #ADMISSIONS_SOURCE}, stamped with the store's event time (the newest event time seen, or the
   * store's clock before any, and always after the previous admission's, so that no two admissions share a time and
   * with it a visit id), so that it survives a crash and is replayed in order with the sensors' input.
   * {@code onAck} gets the acknowledgement and the message as stamped (its {@code ts_ms} is the admission time; the
   * journal keeps its credential sealed).
   *
   * @param entry a message carrying an {@code entry}; its source, sequence and time are set here
   * @throws IllegalArgumentException if it carries no entry
   * @throws IllegalStateException after {@link #close()}
   */
  public void admit(SensorEventMessage entry, Consumer<Admitted> onAck, Consumer<StorageException> onFailure)
      throws InterruptedException {
    if (!entry.hasEntry()) {
      throw new IllegalArgumentException("an admission carries an entry");
    }
    Pending pending = new Pending(entry, true, ack -> {}, onFailure, null);
    pending.onAdmitted = onAck;
    if (!enqueue(pending)) {
      onFailure.accept(new StorageException("the store is recovering its journaled input after a restart; "
          + "admit again in a moment", true));
    }
  }

  /** An admission's acknowledgement and the entry message as stamped and processed. */
  public record Admitted(IngestAck ack, SensorEventMessage message) {}

  /** Runs {@code task} on the log's pipeline thread after every message offered before it has been handled. */
  public void afterPending(Runnable task) throws InterruptedException {
    if (!enqueue(new Pending(null, false, ack -> {}, e -> {}, task))) {
      task.run();
    }
  }

  /**
   * How long queued input has waited without the writer finishing a batch, if that is longer than the settings'
   * {@link IngestSettings#stallAfter() stall time}: the store is not taking input and should say so.
   */
  public Optional<Duration> stalledFor() {
    if (!recovered || closed || (!busy && !processing && queue.isEmpty() && handoff.isEmpty())) {
      return Optional.empty();
    }
    long waited = clock.millis() - progressAt;
    return waited > settings.stallAfter().toMillis() ? Optional.of(Duration.ofMillis(waited)) : Optional.empty();
  }

  /** Stops the log's threads once the messages already offered are handled. */
  @Override
  public void close() {
    closed = true;
    Thread thread;
    Thread processorThread;
    synchronized (lifecycle) {
      thread = writer;
      processorThread = processor;
    }
    if (thread != null) {
      thread.interrupt();
      join(thread);
    }
    if (processorThread != null) {
      join(processorThread);
    }
    ExecutorService discarder = ownDiscarder;
    if (discarder != null) {
      discarder.shutdown();
      try {
        discarder.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Queues an item, recovering first if nobody did; false while another thread is recovering. */
  private boolean enqueue(Pending pending) throws InterruptedException {
    if (!recovered) {
      if (recovering) {
        return false;
      }
      recover();
    }
    if (closed) {
      throw new IllegalStateException("the ingest log is closed");
    }
    queue.put(pending);
    return true;
  }

  /** The writer thread: checks and commits batches, and hands them on in order; ends the pipeline thread last. */
  private void drain() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      try {
        if (queue.isEmpty() && closed) {
          break;
        }
        batch.add(queue.take());
      } catch (InterruptedException e) {
        if (queue.isEmpty()) {
          break;
        }
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      busy = true;
      Handled handled;
      try {
        handled = handle(batch);
      } catch (Throwable e) { // NOPMD: the writer must outlive any failure, or the store stops taking input
        log.error("the ingest log failed on a batch of {} items; its unanswered messages must be sent again",
            batch.size(), e);
        handled = new Handled(batch, List.of(), new StorageException(
            "the store failed while recording the input (" + e + "); send again from this message", true, e), 0);
      }
      handOff(handled);
      busy = false;
      progressAt = clock.millis();
    }
    handOff(END);
  }

  /** Passes a batch to the pipeline thread, waiting for room; an interrupt (a closing log) does not drop it. */
  private void handOff(Handled handled) {
    boolean interrupted = false;
    while (true) {
      try {
        handoff.put(handled);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The pipeline thread: processes committed batches and answers their messages, in commit order. */
  @SuppressWarnings("ReferenceEquality") // END is a marker instance
  private void process() {
    while (true) {
      Handled handled;
      try {
        handled = handoff.take();
      } catch (InterruptedException e) {
        continue; // only the writer ends this thread, after its last batch
      }
      if (handled == END) {
        return;
      }
      processing = true;
      try {
        process(handled);
      } catch (Throwable e) { // NOPMD: the pipeline thread must outlive any failure, or the store stops taking input
        failUnanswered(handled.batch(), e);
      } finally {
        processing = false;
        progressAt = clock.millis();
      }
    }
  }

  private void process(Handled handled) {
    // Input the storage committed although the append seemed to fail: processed as a replay would, before the
    // batch's messages are refused (sent again, they are then recognised as received).
    for (SensorEventMessage message : handled.committedAnyway()) {
      processJournaled(message);
    }
    StorageException failure = handled.failure();
    for (Pending p : handled.batch()) {
      if (failure == null) {
        answer(p);
      } else if (!p.answered) {
        if (p.message == null) {
          p.answered = true;
          runQuietly(p.task);
        } else {
          counters.count(p.message.getSource(), Outcome.REFUSED);
          fail(p, failure);
        }
      }
    }
    if (failure == null && handled.end() > 0) {
      try {
        synchronized (received) {
          recoveryPoints.maybeCheckpoint(pipeline, received, handled.end());
        }
      } catch (RuntimeException e) {
        log.warn("cannot record the ingest checkpoint (a restart replays from the previous one): {}", e.toString());
      }
    }
  }

  /**
   * Checks a batch and commits what it accepts; on the writer thread. Returns the batch for the pipeline thread,
   * with the journal position after it if it committed anything.
   */
  private Handled handle(List<Pending> batch) {
    Map<String, SequenceWindow> accepted = new HashMap<>();
    List<SensorEventMessage> journaled = new ArrayList<>();
    long newestAccepted = newestCommitted;
    for (Pending p : batch) {
      SensorEventMessage offered = p.message;
      if (offered != null) {
        screen(p, offered, accepted, newestAccepted);
        if (p.disposition == Disposition.NEW) {
          SensorEventMessage message = Objects.requireNonNull(p.message);
          journaled.add(message);
          newestAccepted = Math.max(newestAccepted, message.getTsMs());
        }
      }
    }
    if (journaled.isEmpty()) {
      return new Handled(batch, List.of(), null, 0);
    }
    journaled = screenFeatures(journaled, batch);
    Handled failed = commit(journaled, batch);
    if (failed != null) {
      return failed;
    }
    newestCommitted = newestAccepted;
    synchronized (received) {
      received.putAll(accepted);
    }
    return new Handled(batch, List.of(), null, nextPosition);
  }

  /** Decides what becomes of one message, before anything is written. */
  private void screen(Pending p, SensorEventMessage offered, Map<String, SequenceWindow> accepted,
      long newestAccepted) {
    SensorEventMessage message = offered;
    if (p.own) {
      message = stampAdmission(message, accepted, newestAccepted);
      p.message = message;
    }
    String source = message.getSource();
    if (awaitsResend(message)) {
      // Sent after a message that failed to commit: taking it would leave a gap in the source's sequence.
      p.disposition = Disposition.REFUSED;
      p.refusal = new StorageException("message " + Long.toUnsignedString(message.getSequence()) + " of source '"
          + source + "' follows one that could not be journaled; send again from "
          + Long.toUnsignedString(mustResendFrom.getOrDefault(source, 0L)), true);
      return;
    }
    SequenceWindow window = accepted.containsKey(source) ? accepted.get(source) : received.get(source);
    long sequence = message.getSequence();
    SequenceWindow.Standing standing = window == null ? SequenceWindow.Standing.ABOVE : window.standing(sequence);
    if (standing == SequenceWindow.Standing.TAKEN) {
      p.disposition = Disposition.ALREADY_RECEIVED;
      return;
    }
    if (window != null && standing == SequenceWindow.Standing.BELOW) {
      p.disposition = Disposition.REJECTED;
      p.rejection = new Rejection(RejectionReason.SEQUENCE_TOO_OLD, "sequence " + Long.toUnsignedString(sequence)
          + " of source '" + source + "' is more than " + window.size() + " below its newest accepted one, "
          + Long.toUnsignedString(window.highest()) + ": the store no longer knows whether it was received, so it "
          + "is not taken (send a source's messages in order, or within " + window.size() + " of each other)");
      return;
    }
    MessageScreen.Verdict verdict;
    try {
      verdict = screen.check(message, window == null ? null : window.highest(),
          window == null ? knownSources(accepted) : received.size(), p.own, newestAccepted);
    } catch (RuntimeException e) {
      log.error("a sensor message from source '{}' could not be checked; it is rejected", source, e);
      verdict = MessageScreen.Verdict.rejected(RejectionReason.MALFORMED, "the message could not be checked");
    }
    if (verdict.rejection() != null) {
      p.disposition = Disposition.REJECTED;
      p.rejection = verdict.rejection();
      return;
    }
    p.disposition = Disposition.NEW;
    p.event = verdict.event();
    if (window == null) {
      accepted.put(source, SequenceWindow.startingAt(settings.sequenceWindow(), sequence));
    } else {
      SequenceWindow next = accepted.containsKey(source) ? window : window.copy();
      next.mark(sequence);
      accepted.put(source, next);
    }
  }

  /** How many sources the store keeps sequences for, counting those new in the batch being screened. */
  private int knownSources(Map<String, SequenceWindow> accepted) {
    int known = received.size();
    for (String source : accepted.keySet()) {
      if (!received.containsKey(source)) {
        known++;
      }
    }
    return known;
  }

  /**
   * Hands the accepted messages to the {@link FeatureIntake} and takes what it returns as the messages to journal
   * and process. Should the intake fail, every feature vector of the batch is removed (nothing unscreened is
   * written).
   */
  @SuppressWarnings("ReferenceEquality") // the intake returns the very message it did not change
  private List<SensorEventMessage> screenFeatures(List<SensorEventMessage> accepted, List<Pending> batch) {
    List<SensorEventMessage> screened;
    try {
      // The intake may ask the pipeline's stages (the tracker: who stands where), which the pipeline thread
      // changes: it screens camera features while no event is being processed.
      screened = accepted.stream().anyMatch(IntakeFrames::carriesFeatures)
          ? pipeline.whileIdle(() -> intake.screen(accepted)) : intake.screen(accepted);
      if (screened.size() != accepted.size()) {
        throw new IllegalStateException("the feature intake returned " + screened.size() + " messages for "
            + accepted.size());
      }
    } catch (RuntimeException e) {
      log.error("the feature intake failed; every camera feature of this batch is removed", e);
      screened = new ArrayList<>(accepted.size());
      for (SensorEventMessage message : accepted) {
        screened.add(IntakeFrames.carriesFeatures(message)
            ? IntakeFrames.rewritePeople(message, IntakeFrames::withoutFeatures) : message);
      }
    }
    int next = 0;
    for (Pending p : batch) {
      if (p.message != null && p.disposition == Disposition.NEW) {
        SensorEventMessage journaled = screened.get(next++);
        if (journaled != p.message) {
          p.message = journaled;
          p.event = SensorEventProtos.fromProto(journaled, intake::open);
        }
      }
    }
    return screened;
  }

  /** An admission as journaled: the store's source, its next sequence, and the store's current event time. */
  private SensorEventMessage stampAdmission(
      SensorEventMessage entry, Map<String, SequenceWindow> accepted, long newestAccepted) {
    SequenceWindow window = accepted.containsKey(ADMISSIONS_SOURCE) ? accepted.get(ADMISSIONS_SOURCE)
        : received.get(ADMISSIONS_SOURCE);
    Long last = window == null ? null : window.highest();
    long newest = Math.max(pipeline.newestSeen().orElse(Long.MIN_VALUE), newestAccepted);
    long ts = newest == Long.MIN_VALUE ? clock.millis() : newest;
    if (lastAdmissionTs != Long.MIN_VALUE && ts <= lastAdmissionTs) {
      ts = lastAdmissionTs + 1;
    }
    lastAdmissionTs = ts;
    return entry.toBuilder()
        .setSource(ADMISSIONS_SOURCE)
        .setSequence(last == null ? 1 : last + 1)
        .setTsMs(ts)
        .build();
  }

  private void answer(Pending p) {
    SensorEventMessage message = p.message;
    if (message == null) {
      p.answered = true;
      if (p.task != null) {
        p.task.run();
      }
      return;
    }
    switch (p.disposition) {
      case REFUSED -> {
        counters.count(message.getSource(), Outcome.REFUSED);
        fail(p, Objects.requireNonNull(p.refusal));
      }
      case REJECTED -> {
        Rejection rejection = Objects.requireNonNull(p.rejection);
        counters.rejected(message.getSource(), rejection);
        acknowledge(p, rejected(message, rejection));
      }
      case NEW -> acknowledge(p, process(message, p.event));
      default -> {
        counters.count(message.getSource(), Outcome.ALREADY_RECEIVED);
        acknowledge(p, alreadyReceived(message));
      }
    }
  }

  /**
   * Commits a batch's accepted messages; on the writer thread. On failure every message of the batch is to be
   * refused (its source must send again from it), and the batch to hand on so is returned; null on success.
   */
  private @Nullable Handled commit(List<SensorEventMessage> messages, List<Pending> batch) {
    long start = System.nanoTime();
    try {
      // Entries are journaled with their credential sealed; the events processed keep it as received.
      List<Packed> packed = records(messages.stream().map(m -> CredentialSeal.sealed(credentials, m)).toList());
      journal.appendAll(List.of(new StreamAppend(STREAM, nextPosition,
          packed.stream().map(Packed::record).toList())));
      for (Packed record : packed) {
        recoveryPoints.recorded(nextPosition++, record.newestTs());
      }
    } catch (RuntimeException e) {
      log.error("cannot journal {} sensor messages; they are refused and must be sent again", messages.size(), e);
      StorageException failure = e instanceof StorageException s ? s
          : new StorageException("the store could not record the input: " + e.getMessage(), true, e);
      List<SensorEventMessage> committedAnyway = catchUpWithJournal();
      for (Pending p : batch) {
        SensorEventMessage message = p.message;
        if (message != null && !message.getSource().isEmpty() && !p.own) {
          mustResendFrom.merge(message.getSource(), message.getSequence(),
              (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b);
        }
      }
      return new Handled(batch, committedAnyway, failure, 0);
    }
    commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    batchSizes.record(messages.size());
    return null;
  }

  /** A journal record of accepted messages and the newest event time among them. */
  private record Packed(JournalRecord record, long newestTs) {}

  /** The accepted messages packed into as few records as the journal's payload limit allows, in order. */
  private List<Packed> records(List<SensorEventMessage> messages) {
    List<Packed> records = new ArrayList<>();
    InputBatch.Builder batch = InputBatch.newBuilder();
    int bytes = 0;
    long newest = Long.MIN_VALUE;
    for (SensorEventMessage message : messages) {
      int size = message.getSerializedSize() + 8;
      if (batch.getMessagesCount() > 0 && bytes + size > StorageNames.MAX_PAYLOAD_BYTES - RECORD_FRAMING_BYTES) {
        records.add(new Packed(batchRecord(batch.build()), newest));
        batch = InputBatch.newBuilder();
        bytes = 0;
        newest = Long.MIN_VALUE;
      }
      batch.addMessages(message);
      bytes += size;
      newest = Math.max(newest, message.getTsMs());
    }
    records.add(new Packed(batchRecord(batch.build()), newest));
    return records;
  }

  /** A batch's record, deflated unless that would not make it smaller. Called on the writer thread only. */
  private JournalRecord batchRecord(InputBatch batch) {
    byte[] plain = batch.toByteArray();
    deflater.reset();
    deflater.setInput(plain);
    deflater.finish();
    byte[] packed = new byte[plain.length];
    int length = 0;
    while (!deflater.finished() && length < packed.length) {
      length += deflater.deflate(packed, length, packed.length - length);
    }
    return deflater.finished()
        ? new JournalRecord(DEFLATED_BATCH_RECORD, Arrays.copyOf(packed, length))
        : new JournalRecord(BATCH_RECORD, plain);
  }

  /** A deflated batch's messages; no batch inflates beyond the journal's payload limit, which was its own. */
  private static List<SensorEventMessage> inflate(JournalEntry entry) throws InvalidProtocolBufferException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(entry.record().payload());
      byte[] plain = new byte[StorageNames.MAX_PAYLOAD_BYTES];
      int length = 0;
      while (!inflater.finished() && length < plain.length) {
        int n = inflater.inflate(plain, length, plain.length - length);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        length += n;
      }
      if (!inflater.finished()) {
        throw new InvalidProtocolBufferException("the deflated batch is truncated or larger than "
            + StorageNames.MAX_PAYLOAD_BYTES + " bytes");
      }
      return InputBatch.parseFrom(ByteBuffer.wrap(plain, 0, length)).getMessagesList();
    } catch (DataFormatException e) {
      throw new InvalidProtocolBufferException("the deflated batch is damaged: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  /** Answers every message of a batch that had no answer when processing failed: each must be sent again. */
  private void failUnanswered(List<Pending> batch, Throwable e) {
    log.error("the ingest log failed on a batch of {} items; its unanswered messages must be sent again",
        batch.size(), e);
    StorageException failure = new StorageException(
        "the store failed while recording the input (" + e + "); send again from this message", true, e);
    for (Pending p : batch) {
      if (!p.answered) {
        if (p.message == null) {
          p.answered = true;
          runQuietly(p.task);
        } else {
          fail(p, failure);
        }
      }
    }
  }

  private static void runQuietly(@Nullable Runnable task) {
    if (task == null) {
      return;
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      log.debug("a task queued behind the input failed: {}", e.toString());
    }
  }

  private static void acknowledge(Pending p, IngestAck ack) {
    p.answered = true;
    try {
      if (p.onAdmitted != null) {
        p.onAdmitted.accept(new Admitted(ack, Objects.requireNonNull(p.message)));
      } else {
        p.onAck.accept(ack);
      }
    } catch (RuntimeException e) {
      log.debug("an acknowledgement could not be delivered: {}", e.toString());
    }
  }

  private static void fail(Pending p, StorageException failure) {
    p.answered = true;
    try {
      p.onFailure.accept(failure);
    } catch (RuntimeException e) {
      log.debug("a failure could not be delivered: {}", e.toString());
    }
  }

  /**
   * After a failed append, on the writer thread: if the storage committed some of it after all (its outcome was
   * unknown), those messages are remembered as received and returned, for the pipeline thread to process before
   * it refuses the batch, so that when the gateway sends them again they are recognised, not lost.
   */
  private List<SensorEventMessage> catchUpWithJournal() {
    List<SensorEventMessage> caughtUp = new ArrayList<>();
    try {
      while (true) {
        List<JournalEntry> committed = journal.read(STREAM, nextPosition, 200);
        if (committed.isEmpty()) {
          return caughtUp;
        }
        for (JournalEntry entry : committed) {
          List<SensorEventMessage> messages = decode(entry);
          remember(entry, messages);
          caughtUp.addAll(messages);
          nextPosition = entry.position() + 1;
        }
      }
    } catch (StorageException e) {
      log.error("cannot read back the sensor input journal after a failed append; will retry on the next append", e);
      return caughtUp;
    }
  }

  /** Processes the messages of one journaled record, as recovery does; returns how many there were. */
  private int replay(JournalEntry entry) {
    List<SensorEventMessage> messages = decode(entry);
    remember(entry, messages);
    for (SensorEventMessage message : messages) {
      processJournaled(message);
    }
    return messages.size();
  }

  /**
   * Gives the pipeline restored from a snapshot the events of a record from before the snapshot that its reordering
   * window may have held; returns how many messages the record held.
   */
  private int refill(JournalEntry entry) {
    List<SensorEventMessage> messages = decode(entry);
    remember(entry, messages);
    for (SensorEventMessage message : messages) {
      if (message.getKindCase() == SensorEventMessage.KindCase.HEARTBEAT) {
        continue;
      }
      try {
        pipeline.refill(SensorEventProtos.fromProto(CredentialSeal.opened(credentials, message), intake::open));
      } catch (IllegalArgumentException e) {
        // Journaled by an earlier release that did not check input first: it was rejected then.
      }
    }
    return messages.size();
  }

  /** Notes the messages of a journaled record as received, and the record for the recovery points. */
  private void remember(JournalEntry entry, List<SensorEventMessage> messages) {
    long newest = Long.MIN_VALUE;
    synchronized (received) {
      for (SensorEventMessage message : messages) {
        remember(message);
        newest = Math.max(newest, message.getTsMs());
      }
    }
    if (!messages.isEmpty()) {
      recoveryPoints.recorded(entry.position(), newest);
    }
  }

  /** Whether the message comes after one of its source's that failed, and is not that one sent again. */
  private boolean awaitsResend(SensorEventMessage message) {
    Long from = mustResendFrom.get(message.getSource());
    if (from == null) {
      return false;
    }
    if (Long.compareUnsigned(message.getSequence(), from) <= 0) {
      mustResendFrom.remove(message.getSource());
      return false;
    }
    return true;
  }

  private void remember(SensorEventMessage message) {
    if (message.getSource().equals(ADMISSIONS_SOURCE)) {
      lastAdmissionTs = Math.max(lastAdmissionTs, message.getTsMs());
    }
    if (!message.getSource().isEmpty()) {
      SequenceWindow window = received.get(message.getSource());
      if (window == null) {
        received.put(message.getSource(), SequenceWindow.startingAt(settings.sequenceWindow(), message.getSequence()));
      } else {
        window.mark(message.getSequence());
      }
    }
  }

  /** Processes a message read back from the journal (it was checked when it was accepted). */
  private void processJournaled(SensorEventMessage message) {
    if (message.getKindCase() == SensorEventMessage.KindCase.HEARTBEAT) {
      pipeline.advanceTo(message.getTsMs());
      return;
    }
    try {
      pipeline.submit(SensorEventProtos.fromProto(CredentialSeal.opened(credentials, message), intake::open));
    } catch (IllegalArgumentException e) {
      // Journaled by an earlier release that did not check input first.
      pipeline.recordRejection(SensorEventProtos.typeOf(message),
          new Rejection(RejectionReason.MALFORMED, String.valueOf(e.getMessage())));
    }
  }

  /** Hands one accepted message to the pipeline and says what became of it. */
  private IngestAck process(SensorEventMessage message, @Nullable SensorEvent event) {
    Optional<Rejection> rejection;
    if (event == null) {
      pipeline.advanceTo(message.getTsMs());
      rejection = Optional.empty();
    } else {
      rejection = pipeline.submit(event);
    }
    if (rejection.isEmpty()) {
      counters.count(message.getSource(), Outcome.ACCEPTED);
      return ackFor(message).setOutcome(IngestAck.Outcome.ACCEPTED).build();
    }
    // Journaled, but too late or a duplicate by the time its turn came: it is rejected the same way on replay.
    counters.rejected(message.getSource(), rejection.get());
    return rejected(message, rejection.get());
  }

  private static IngestAck rejected(SensorEventMessage message, Rejection rejection) {
    return ackFor(message).setOutcome(IngestAck.Outcome.REJECTED)
        .setReason(dev.jwo.core.v1.RejectionReason.valueOf(rejection.reason().name()))
        .setMessage(rejection.message())
        .build();
  }

  private static IngestAck alreadyReceived(SensorEventMessage message) {
    return ackFor(message)
        .setOutcome(IngestAck.Outcome.ACCEPTED)
        .setMessage("already received (sequence " + Long.toUnsignedString(message.getSequence()) + " of source '"
            + message.getSource() + "' is in the log)")
        .build();
  }

  private static IngestAck.Builder ackFor(SensorEventMessage message) {
    return IngestAck.newBuilder().setSource(message.getSource()).setSequence(message.getSequence());
  }

  /**
   * The messages one journal record of stream {@value #STREAM} holds, in order, whichever way it was written: for
   * tools and tests that read the journal.
   *
   * @throws StorageException if the record is damaged or of a kind this release cannot read
   */
  public static List<SensorEventMessage> decode(JournalEntry entry) {
    try {
      return switch (entry.record().type()) {
        case DEFLATED_BATCH_RECORD -> inflate(entry);
        case BATCH_RECORD -> InputBatch.parseFrom(entry.record().payload()).getMessagesList();
        case MESSAGE_RECORD -> List.of(SensorEventMessage.parseFrom(entry.record().payload()));
        default -> throw new StorageException("sensor input " + entry.position() + " in stream '" + STREAM
            + "' has record type '" + entry.record().type() + "', which this release cannot read", false);
      };
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("sensor input " + entry.position() + " in stream '" + STREAM
          + "' cannot be read: " + e.getMessage() + "; the storage is damaged", false, e);
    }
  }

  /**
   * A batch the writer thread has handled, for the pipeline thread: its items in order; messages the storage
   * committed although the append failed; the failure that refuses the batch's messages, or null; and the journal
   * position after the batch if it committed anything, else 0.
   */
  private record Handled(
      List<Pending> batch, List<SensorEventMessage> committedAnyway, @Nullable StorageException failure, long end) {}

  /** Tells the pipeline thread that the writer has ended. */
  private static final Handled END = new Handled(List.of(), List.of(), null, 0);

  /** What becomes of one queued message. */
  private enum Disposition {
    NEW,
    ALREADY_RECEIVED,
    REJECTED,
    REFUSED
  }

  /** One queued item: a message (a gateway's or the store's own admission) or a task to run after the messages before it. */
  private static final class Pending {
    @Nullable SensorEventMessage message;
    final boolean own;
    final Consumer<IngestAck> onAck;
    final Consumer<StorageException> onFailure;
    final @Nullable Runnable task;
    @Nullable Consumer<Admitted> onAdmitted;
    Disposition disposition = Disposition.REFUSED;
    @Nullable Rejection rejection;
    @Nullable StorageException refusal;
    @Nullable SensorEvent event;
    boolean answered;

    Pending(@Nullable SensorEventMessage message, boolean own, Consumer<IngestAck> onAck,
        Consumer<StorageException> onFailure, @Nullable Runnable task) {
      this.message = message;
      this.own = own;
      this.onAck = onAck;
      this.onFailure = onFailure;
      this.task = task;
    }
  }
}
