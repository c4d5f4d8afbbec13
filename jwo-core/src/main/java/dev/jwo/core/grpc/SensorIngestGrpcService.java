package dev.jwo.core.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.CameraId;
import dev.jwo.core.v1.CameraCapture;
import dev.jwo.core.v1.CapturePolicy;
import dev.jwo.core.v1.GetCapturePolicyRequest;
import dev.jwo.core.v1.IngestAck;
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
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
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
    MethodDescriptor<Inbound, IngestAck> ingest = SensorIngestServiceGrpc.getIngestMethod()
        .toBuilder(new InboundMarshaller(), ProtoUtils.marshaller(IngestAck.getDefaultInstance()))
        .build();
    ServiceDescriptor generated = SensorIngestServiceGrpc.getServiceDescriptor();
    ServiceDescriptor service = ServiceDescriptor.newBuilder(generated.getName())
        .setSchemaDescriptor(generated.getSchemaDescriptor())
        .addMethod(ingest)
        .addMethod(SensorIngestServiceGrpc.getGetCapturePolicyMethod())
        .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(ingest, ServerCalls.asyncBidiStreamingCall(this::ingest))
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

  private StreamObserver<Inbound> ingest(StreamObserver<IngestAck> acks) {
    AtomicBoolean ended = new AtomicBoolean();
    return new StreamObserver<>() {
      @Override
      public void onNext(Inbound inbound) {
        try {
          SensorEventMessage message = inbound.message();
          if (message == null) {
            // Answered in order with the rest: behind everything this stream sent before.
            String problem = inbound.problem();
            ingestLog.afterPending(() -> {
              if (!ended.get()) {
                acks.onNext(IngestAck.newBuilder()
                    .setOutcome(IngestAck.Outcome.REJECTED)
                    .setReason(RejectionReason.MALFORMED)
                    .setMessage("the message could not be decoded as jwo.core.v1.SensorEventMessage: " + problem)
                    .build());
              }
            });
            countUndecodable(problem);
            return;
          }
          ingestLog.offer(message, ack -> {
            if (!ended.get()) {
              acks.onNext(ack);
            }
          }, failure -> {
            if (ended.compareAndSet(false, true)) {
              acks.onError(Status.UNAVAILABLE
                  .withDescription("the store could not record sensor input durably (" + failure.getMessage()
                      + "); reconnect and send again from the first message not acknowledged")
                  .asRuntimeException());
            }
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          if (ended.compareAndSet(false, true)) {
            acks.onError(Status.UNAVAILABLE.withDescription("the store is shutting down").asRuntimeException());
          }
        } catch (IllegalStateException e) {
          if (ended.compareAndSet(false, true)) {
            acks.onError(Status.UNAVAILABLE.withDescription("the store is shutting down").asRuntimeException());
          }
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
              acks.onCompleted();
            }
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
          if (ended.compareAndSet(false, true)) {
            acks.onError(Status.UNAVAILABLE.withDescription("the store is shutting down").asRuntimeException());
          }
        }
      }
    };
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

  /** A received message, or why its bytes could not be decoded. */
  private record Inbound(@Nullable SensorEventMessage message, String problem) {}

  /** Decodes sensor messages without failing the call: undecodable bytes become an {@link Inbound} problem. */
  private static final class InboundMarshaller implements MethodDescriptor.Marshaller<Inbound> {
    private final MethodDescriptor.Marshaller<SensorEventMessage> proto =
        ProtoUtils.marshaller(SensorEventMessage.getDefaultInstance());

    @Override
    public InputStream stream(Inbound value) {
      return proto.stream(value.message() == null ? SensorEventMessage.getDefaultInstance() : value.message());
    }

    @Override
    public Inbound parse(InputStream stream) {
      try {
        return new Inbound(SensorEventMessage.parseFrom(stream), "");
      } catch (InvalidProtocolBufferException e) {
        return new Inbound(null, String.valueOf(e.getMessage()));
      } catch (IOException e) {
        return new Inbound(null, "unreadable: " + e.getMessage());
      }
    }
  }
}
