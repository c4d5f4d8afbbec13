package dev.jwo.core.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.CameraId;
import dev.jwo.core.v1.CameraCapture;
import dev.jwo.core.v1.CapturePolicy;
import dev.jwo.core.v1.GetCapturePolicyRequest;
import dev.jwo.core.storage.StorageException;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.IngestAcks;
import dev.jwo.core.v1.SensorEventBatch;
import dev.jwo.core.v1.RejectionReason;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes sensor events from gateways into the store's pipeline, through the durable {@link IngestLog}, and
 * acknowledges each one, in order, once it is committed or rejected: with {@code ACCEPTED} or the reason it was
 * rejected. A bad event never ends the stream, not even one whose bytes cannot be decoded (it is answered
 * {@code REJECTED}/{@code MALFORMED} without source or sequence); a storage failure ends it with
 * {@code UNAVAILABLE}, and the gateway sends again from its first unacknowledged message.
 */
@Singleton
public final class SensorIngestGrpcService implements BindableService {
  private static final Logger log = LoggerFactory.getLogger(SensorIngestGrpcService.class);
  private static final long UNDECODABLE_LOG_INTERVAL_MILLIS = 60_000;

  private final IngestLog ingestLog;
  private final Counter undecodable;
  private final Clock clock;
  private final AtomicLong lastUndecodableLog = new AtomicLong(Long.MIN_VALUE);

  @Inject
  public SensorIngestGrpcService(IngestLog ingestLog, MeterRegistry registry, Clock clock) {
    this.ingestLog = ingestLog;
    this.clock = clock;
    this.undecodable = Counter.builder("jwo.ingest.messages")
        .description("Sensor messages answered by the ingest log, by source, outcome and reason")
        .tag("source", "invalid")
        .tag("outcome", "rejected")
        .tag("reason", "malformed")
        .register(registry);
  }

  @Override
  public ServerServiceDefinition bindService() {
    MethodDescriptor<Inbound<SensorEventMessage>, IngestAck> ingest = SensorIngestServiceGrpc.getIngestMethod()
        .toBuilder(new InboundMarshaller<>(SensorEventMessage.parser()),
            ProtoUtils.marshaller(IngestAck.getDefaultInstance()))
        .build();
    MethodDescriptor<Inbound<SensorEventBatch>, IngestAcks> batches = SensorIngestServiceGrpc
        .getIngestBatchesMethod()
        .toBuilder(new InboundMarshaller<>(SensorEventBatch.parser()),
            ProtoUtils.marshaller(IngestAcks.getDefaultInstance()))
        .build();
    ServiceDescriptor generated = SensorIngestServiceGrpc.getServiceDescriptor();
    ServiceDescriptor service = ServiceDescriptor.newBuilder(generated.getName())
        .setSchemaDescriptor(generated.getSchemaDescriptor())
        .addMethod(ingest)
        .addMethod(batches)
        .addMethod(SensorIngestServiceGrpc.getGetCapturePolicyMethod())
        .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(ingest, ServerCalls.asyncBidiStreamingCall(acks -> new Stream<SensorEventMessage, IngestAck>(acks) {
          @Override
          void take(SensorEventMessage message) throws InterruptedException {
            ingestLog.offer(message, this::answer, this::fail);
          }

          @Override
          IngestAck undecodable(IngestAck rejection) {
            return rejection;
          }
        }))
        .addMethod(batches, ServerCalls.asyncBidiStreamingCall(acks -> new Stream<SensorEventBatch, IngestAcks>(acks) {
          @Override
          void take(SensorEventBatch batch) throws InterruptedException {
            int size = batch.getMessagesCount();
            if (size == 0) {
              ingestLog.afterPending(() -> answer(IngestAcks.getDefaultInstance()));
              return;
            }
            IngestAck[] answers = new IngestAck[size];
            int[] answered = {0};
            for (int i = 0; i < size; i++) {
              int index = i;
              // Callbacks run on the ingest log's writer thread, one after another, in order.
              ingestLog.offer(batch.getMessages(i), ack -> {
                answers[index] = ack;
                if (++answered[0] == size) {
                  answer(IngestAcks.newBuilder().addAllAcks(Arrays.asList(answers)).build());
                }
              }, this::fail);
            }
          }

          @Override
          IngestAcks undecodable(IngestAck rejection) {
            return IngestAcks.newBuilder().addAcks(rejection).build();
          }
        }))
        .addMethod(SensorIngestServiceGrpc.getGetCapturePolicyMethod(),
            ServerCalls.asyncUnaryCall(this::getCapturePolicy))
        .build();
  }

  private void getCapturePolicy(GetCapturePolicyRequest request, StreamObserver<CapturePolicy> response) {
    CapturePolicy.Builder policy = CapturePolicy.newBuilder();
    ingestLog.capturePolicy().entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(CameraId::value)))
        .forEach(e -> policy.addCameras(CameraCapture.newBuilder()
            .setCamera(e.getKey().value())
            .setFeatures(e.getValue().wireName())));
    response.onNext(policy.build());
    response.onCompleted();
  }

  /**
   * One gateway's stream: what it sends goes to the ingest log, answers go back in order; an undecodable request
   * is answered behind everything sent before it; a storage failure or a shutdown ends the stream with
   * {@code UNAVAILABLE}.
   */
  private abstract class Stream<Q, A> implements StreamObserver<Inbound<Q>> {
    private final StreamObserver<A> answers;
    private final AtomicBoolean ended = new AtomicBoolean();

    Stream(StreamObserver<A> answers) {
      this.answers = answers;
    }

    /** Hands a decoded request to the ingest log. */
    abstract void take(Q request) throws InterruptedException;

    /** The answer to a request that could not be decoded. */
    abstract A undecodable(IngestAck rejection);

    final void answer(A answer) {
      if (!ended.get()) {
        answers.onNext(answer);
      }
    }

    final void fail(StorageException failure) {
      end(Status.UNAVAILABLE.withDescription("the store could not record sensor input durably ("
          + failure.getMessage() + "); reconnect and send again from the first message not acknowledged"));
    }

    private void end(Status status) {
      if (ended.compareAndSet(false, true)) {
        answers.onError(status.asRuntimeException());
      }
    }

    @Override
    public void onNext(Inbound<Q> inbound) {
      try {
        Q request = inbound.message();
        if (request == null) {
          String problem = inbound.problem();
          ingestLog.afterPending(() -> answer(undecodable(IngestAck.newBuilder()
              .setOutcome(IngestAck.Outcome.REJECTED)
              .setReason(RejectionReason.MALFORMED)
              .setMessage("the request could not be decoded: " + problem)
              .build())));
          countUndecodable(problem);
          return;
        }
        take(request);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        end(Status.UNAVAILABLE.withDescription("the store is shutting down"));
      } catch (IllegalStateException e) {
        end(Status.UNAVAILABLE.withDescription("the store is shutting down"));
      }
    }

    @Override
    public void onError(Throwable t) {
      ended.set(true);
      log.debug("ingest stream ended by the client: {}", t.toString());
    }

    @Override
    public void onCompleted() {
      try {
        ingestLog.afterPending(() -> {
          if (ended.compareAndSet(false, true)) {
            answers.onCompleted();
          }
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IllegalStateException e) {
        end(Status.UNAVAILABLE.withDescription("the store is shutting down"));
      }
    }
  }

  private void countUndecodable(String problem) {
    undecodable.increment();
    long now = clock.millis();
    long last = lastUndecodableLog.get();
    if ((last == Long.MIN_VALUE || now - last >= UNDECODABLE_LOG_INTERVAL_MILLIS)
        && lastUndecodableLog.compareAndSet(last, now)) {
      log.warn("rejected an undecodable sensor message ({}); such rejections are logged at most once a minute "
          + "and counted in jwo.ingest.messages{{source=invalid, reason=malformed}}", problem);
    }
  }

  /** A received request, or why its bytes could not be decoded. */
  private record Inbound<T>(@Nullable T message, String problem) {}

  /** Decodes requests without failing the call: undecodable bytes become an {@link Inbound} problem. */
  private static final class InboundMarshaller<T extends Message> implements MethodDescriptor.Marshaller<Inbound<T>> {
    private final Parser<T> parser;

    InboundMarshaller(Parser<T> parser) {
      this.parser = parser;
    }

    @Override
    public InputStream stream(Inbound<T> value) {
      T message = value.message();
      return new ByteArrayInputStream(message == null ? new byte[0] : message.toByteArray());
    }

    @Override
    public Inbound<T> parse(InputStream stream) {
      try {
        return new Inbound<>(parser.parseFrom(stream), "");
      } catch (InvalidProtocolBufferException e) {
        return new Inbound<>(null, String.valueOf(e.getMessage()));
      }
    }
  }
}
