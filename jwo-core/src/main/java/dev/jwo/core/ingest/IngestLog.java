package dev.jwo.core.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.pipeline.Rejection;
import dev.jwo.core.pipeline.RejectionReason;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.storage.EventJournal;
import dev.jwo.core.storage.JournalEntry;
import dev.jwo.core.storage.JournalRecord;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.storage.StoreStorage;
import dev.jwo.core.storage.StreamAppend;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of a store's live sensor input. Every message a gateway sends is committed to the journal
 * stream {@value #STREAM} before the pipeline sees it and before it is acknowledged, so an acknowledged event
 * survives a crash. A server that restarts on the same storage {@linkplain #recover() replays} the stream through
 * the pipeline first: sessions, tracks and carts are rebuilt exactly, and the durable side effects of the replay
 * (cart ledger entries, payment calls, receipts) are recognised by their positions and idempotency keys instead of
 * being made twice.
 *
 * <p>Messages are de-duplicated by {@code (source, sequence)}: a gateway that did not see an acknowledgement
 * (because the server died) sends the message again, and a message already in the log is acknowledged as
 * accepted without being processed twice. Sequences of a source must increase.
 *
 * <p>One writer thread takes messages in arrival order, commits them in batches (one commit for everything that
 * queued up while the previous commit ran), then hands them to the pipeline and runs each message's
 * acknowledgement callback, in order, on that thread.
 */
@Singleton
public final class IngestLog implements AutoCloseable {
  /** The journal stream holding the store's sensor input. */
  public static final String STREAM = "input";

  private static final Logger log = LoggerFactory.getLogger(IngestLog.class);
  private static final String RECORD_TYPE = "sensor-message/v1";
  private static final int MAX_BATCH = 2_000;
  private static final int QUEUE_CAPACITY = 20_000;

  private final StorePipeline pipeline;
  private final EventJournal journal;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Map<String, Long> lastSequence = new HashMap<>();
  /** Sources whose messages failed to commit, with the first sequence they must send again. */
  private final Map<String, Long> mustResendFrom = new HashMap<>();
  private final DistributionSummary batchSizes;
  private final Timer commits;
  private final Object lifecycle = new Object();
  private long nextPosition;
  private volatile boolean recovered;
  private @Nullable Thread writer;
  private volatile boolean closed;

  @Inject
  public IngestLog(StorePipeline pipeline, StoreStorage storage, MeterRegistry registry) {
    this.pipeline = pipeline;
    this.journal = storage.journal();
    this.batchSizes = DistributionSummary.builder("jwo.ingest.batch.size")
        .description("Sensor messages committed together")
        .register(registry);
    this.commits = Timer.builder("jwo.ingest.commit")
        .description("Time to commit a batch of sensor input to the journal")
        .register(registry);
  }

  /**
   * Replays the journaled input through the pipeline (once; later calls do nothing) and starts taking new input.
   * Call before serving; {@link #offer} calls it if nobody did.
   *
   * @return how many messages were replayed
   */
  public long recover() {
    synchronized (lifecycle) {
      if (recovered) {
        return 0;
      }
      long replayed = 0;
      long position = 0;
      while (true) {
        List<JournalEntry> batch = journal.read(STREAM, position, 1_000);
        if (batch.isEmpty()) {
          break;
        }
        for (JournalEntry entry : batch) {
          SensorEventMessage message = decode(entry);
          remember(message);
          process(message);
          position = entry.position() + 1;
          replayed++;
        }
      }
      nextPosition = position;
      recovered = true;
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
   * Queues a message. Once it is durable and the pipeline has taken or rejected it, {@code onAck} is called with
   * its acknowledgement; if the journal fails, {@code onFailure} is called instead and the message is not
   * processed (the gateway should send it again). Callbacks run on the log's writer thread, in the order the
   * messages were offered, and must not block. Blocks while the queue is full.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public void offer(SensorEventMessage message, Consumer<IngestAck> onAck, Consumer<StorageException> onFailure)
      throws InterruptedException {
    if (!recovered) {
      recover();
    }
    if (closed) {
      throw new IllegalStateException("the ingest log is closed");
    }
    queue.put(new Pending(message, onAck, onFailure, null));
  }

  /** Runs {@code task} on the writer thread after every message offered before it has been handled. */
  public void afterPending(Runnable task) throws InterruptedException {
    if (!recovered) {
      recover();
    }
    queue.put(new Pending(null, ack -> {}, e -> {}, task));
  }

  /** Stops the writer once the messages already offered are handled. */
  @Override
  public void close() {
    closed = true;
    Thread thread;
    synchronized (lifecycle) {
      thread = writer;
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        if (queue.isEmpty() && closed) {
          return;
        }
        batch.add(queue.take());
      } catch (InterruptedException e) {
        if (queue.isEmpty()) {
          return;
        }
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      handle(batch);
      batch.clear();
    }
  }

  private void handle(List<Pending> batch) {
    List<JournalRecord> records = new ArrayList<>();
    Disposition[] dispositions = new Disposition[batch.size()];
    Map<String, Long> sequences = new HashMap<>(lastSequence);
    for (int i = 0; i < batch.size(); i++) {
      SensorEventMessage message = batch.get(i).message;
      if (message == null) {
        dispositions[i] = Disposition.TASK;
      } else if (awaitsResend(message)) {
        // Sent after a message that failed to commit: taking it would leave a gap in the source's sequence.
        dispositions[i] = Disposition.REFUSED;
      } else if (isNew(message, sequences)) {
        dispositions[i] = Disposition.NEW;
        records.add(new JournalRecord(RECORD_TYPE, message.toByteArray()));
        if (!message.getSource().isEmpty()) {
          sequences.put(message.getSource(), message.getSequence());
        }
      } else {
        dispositions[i] = Disposition.ALREADY_RECEIVED;
      }
    }
    if (!records.isEmpty() && !commit(records, batch)) {
      return;
    }
    lastSequence.putAll(sequences);
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      SensorEventMessage message = p.message;
      if (message == null) {
        if (p.task != null) {
          p.task.run();
        }
        continue;
      }
      switch (dispositions[i]) {
        case REFUSED -> p.onFailure.accept(new StorageException("message "
            + Long.toUnsignedString(message.getSequence()) + " of source '" + message.getSource()
            + "' follows one that could not be journaled; send again from "
            + Long.toUnsignedString(mustResendFrom.getOrDefault(message.getSource(), 0L)), true));
        case NEW -> acknowledge(p, process(message));
        default -> acknowledge(p, alreadyReceived(message));
      }
    }
  }

  /**
   * Commits a batch's new records. On failure every message of the batch is refused (its source must send again
   * from it) and false is returned.
   */
  private boolean commit(List<JournalRecord> records, List<Pending> batch) {
    long start = System.nanoTime();
    try {
      journal.appendAll(List.of(new StreamAppend(STREAM, nextPosition, records)));
    } catch (StorageException e) {
      log.error("cannot journal {} sensor messages; they are refused and must be sent again", records.size(), e);
      catchUpWithJournal();
      for (Pending p : batch) {
        SensorEventMessage message = p.message;
        if (message != null) {
          if (!message.getSource().isEmpty()) {
            mustResendFrom.merge(message.getSource(), message.getSequence(),
                (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b);
          }
          p.onFailure.accept(e);
        } else if (p.task != null) {
          p.task.run();
        }
      }
      return false;
    }
    commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    batchSizes.record(records.size());
    nextPosition += records.size();
    return true;
  }

  private static void acknowledge(Pending p, IngestAck ack) {
    try {
      p.onAck.accept(ack);
    } catch (RuntimeException e) {
      log.debug("an acknowledgement could not be delivered: {}", e.toString());
    }
  }

  /**
   * After a failed append: if the storage committed some of it after all (its outcome was unknown), those
   * messages are processed now, so that when the gateway sends them again they are recognised, not lost.
   */
  private void catchUpWithJournal() {
    try {
      while (true) {
        List<JournalEntry> committed = journal.read(STREAM, nextPosition, 1_000);
        if (committed.isEmpty()) {
          return;
        }
        for (JournalEntry entry : committed) {
          SensorEventMessage message = decode(entry);
          remember(message);
          process(message);
          nextPosition = entry.position() + 1;
        }
      }
    } catch (StorageException e) {
      log.error("cannot read back the sensor input journal after a failed append; will retry on the next append", e);
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

  private static boolean isNew(SensorEventMessage message, Map<String, Long> sequences) {
    if (message.getSource().isEmpty()) {
      return true;
    }
    Long last = sequences.get(message.getSource());
    return last == null || Long.compareUnsigned(message.getSequence(), last) > 0;
  }

  private void remember(SensorEventMessage message) {
    if (!message.getSource().isEmpty()) {
      lastSequence.merge(message.getSource(), message.getSequence(),
          (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }
  }

  /** Hands one message to the pipeline and says what became of it. */
  private IngestAck process(SensorEventMessage message) {
    IngestAck.Builder ack = ackFor(message);
    if (message.getKindCase() == SensorEventMessage.KindCase.HEARTBEAT) {
      pipeline.advanceTo(message.getTsMs());
      return ack.setOutcome(IngestAck.Outcome.ACCEPTED).build();
    }
    Optional<Rejection> rejection;
    try {
      SensorEvent event = SensorEventProtos.fromProto(message);
      rejection = pipeline.submit(event);
    } catch (IllegalArgumentException e) {
      Rejection malformed = new Rejection(RejectionReason.MALFORMED, String.valueOf(e.getMessage()));
      pipeline.recordRejection(SensorEventProtos.typeOf(message), malformed);
      rejection = Optional.of(malformed);
    }
    if (rejection.isEmpty()) {
      return ack.setOutcome(IngestAck.Outcome.ACCEPTED).build();
    }
    return ack.setOutcome(IngestAck.Outcome.REJECTED)
        .setReason(dev.jwo.core.v1.RejectionReason.valueOf(rejection.get().reason().name()))
        .setMessage(rejection.get().message())
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

  private static SensorEventMessage decode(JournalEntry entry) {
    try {
      return SensorEventMessage.parseFrom(entry.record().payload());
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("sensor input " + entry.position() + " in stream '" + STREAM
          + "' cannot be read: " + e.getMessage() + "; the storage is damaged", false, e);
    }
  }

  /** What becomes of one queued item of a batch. */
  private enum Disposition {
    NEW,
    ALREADY_RECEIVED,
    REFUSED,
    TASK
  }

  private record Pending(
      @Nullable SensorEventMessage message,
      Consumer<IngestAck> onAck,
      Consumer<StorageException> onFailure,
      @Nullable Runnable task) {}
}
