package dev.jwo.core.grpc;

import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.pipeline.Rejection;
import dev.jwo.core.pipeline.RejectionReason;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes sensor events from gateways into the store's pipeline and acknowledges each one, in order, with
 * either {@code ACCEPTED} or the reason it was rejected. A bad event never ends the stream.
 */
@Singleton
public final class SensorIngestGrpcService extends SensorIngestServiceGrpc.SensorIngestServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(SensorIngestGrpcService.class);

  private final StorePipeline pipeline;

  @Inject
  public SensorIngestGrpcService(StorePipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public StreamObserver<SensorEventMessage> ingest(StreamObserver<IngestAck> acks) {
    return new StreamObserver<>() {
      @Override
      public void onNext(SensorEventMessage message) {
        acks.onNext(accept(message));
      }

      @Override
      public void onError(Throwable t) {
        log.debug("ingest stream ended by the client: {}", t.toString());
      }

      @Override
      public void onCompleted() {
        acks.onCompleted();
      }
    };
  }

  /** Offers one message to the pipeline and says what became of it. */
  IngestAck accept(SensorEventMessage message) {
    IngestAck.Builder ack =
        IngestAck.newBuilder().setSource(message.getSource()).setSequence(message.getSequence());
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
      pipeline.recordRejection(typeOf(message), malformed);
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

  private static String typeOf(SensorEventMessage message) {
    return switch (message.getKindCase()) {
      case ENTRY -> "entry";
      case EXIT -> "exit";
      case WEIGHT -> "weight";
      case FRAME -> "frame";
      default -> "unknown";
    };
  }
}
