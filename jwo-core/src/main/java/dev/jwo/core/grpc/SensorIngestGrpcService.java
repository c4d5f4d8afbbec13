package dev.jwo.core.grpc;

import dev.jwo.core.ingest.IngestLog;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes sensor events from gateways into the store's pipeline, through the durable {@link IngestLog}, and
 * acknowledges each one, in order, once it is committed: with {@code ACCEPTED} or the reason it was rejected. A
 * bad event never ends the stream; a storage failure ends it with {@code UNAVAILABLE}, and the gateway sends
 * again from its first unacknowledged message.
 */
@Singleton
public final class SensorIngestGrpcService extends SensorIngestServiceGrpc.SensorIngestServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(SensorIngestGrpcService.class);

  private final IngestLog ingestLog;

  @Inject
  public SensorIngestGrpcService(IngestLog ingestLog) {
    this.ingestLog = ingestLog;
  }

  @Override
  public StreamObserver<SensorEventMessage> ingest(StreamObserver<IngestAck> acks) {
    AtomicBoolean ended = new AtomicBoolean();
    return new StreamObserver<>() {
      @Override
      public void onNext(SensorEventMessage message) {
        try {
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
        }
      }
    };
  }
}
