package dev.jwo.core.grpc;

import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.IngestAcks;
import dev.jwo.core.v1.SensorEventBatch;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A gateway's side of {@code SensorIngestService.IngestBatches}: each {@link #send} sends one batch and completes,
 * in order, with the batch's acknowledgements, which the store gives only once the accepted messages are durable.
 * When the stream fails (the store restarts, cannot record input, or refuses the call), every batch not yet
 * acknowledged fails with the stream's {@link StatusRuntimeException}, and the next {@code send} opens a new stream:
 * send the failed messages again (the store recognises those it already has by source and sequence).
 * Thread-safe.
 */
public final class IngestStream implements AutoCloseable {
  /** The metadata key that carries a bearer token. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final SensorIngestServiceGrpc.SensorIngestServiceStub stub;
  private @Nullable Open open;
  private boolean closed;

  /**
   * @param bearerToken sent as {@code authorization: Bearer <token>} on every call; null sends none
   */
  public IngestStream(Channel channel, @Nullable String bearerToken) {
    Channel target = channel;
    if (bearerToken != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + bearerToken);
      target = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    this.stub = SensorIngestServiceGrpc.newStub(target);
  }

  /**
   * Sends {@code messages} as one batch.
   *
   * @return the acknowledgements, one per message in order; fails with the stream's error if it ends first
   */
  public synchronized CompletableFuture<List<IngestAck>> send(List<SensorEventMessage> messages) {
    CompletableFuture<List<IngestAck>> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(Status.CANCELLED.withDescription("the ingest stream is closed")
          .asRuntimeException());
      return answer;
    }
    Open current = open;
    if (current == null) {
      current = new Open();
      current.requests = stub.ingestBatches(current);
      open = current;
    }
    current.pending.add(answer);
    current.requests.onNext(SensorEventBatch.newBuilder().addAllMessages(messages).build());
    return answer;
  }

  /** Batches sent and not yet acknowledged. */
  public synchronized int inFlight() {
    Open current = open;
    return current == null ? 0 : current.pending.size();
  }

  /** Ends the stream; batches not yet acknowledged fail. */
  @Override
  public synchronized void close() {
    closed = true;
    Open current = open;
    if (current != null) {
      current.requests.onCompleted();
      current.fail(Status.CANCELLED.withDescription("the ingest stream was closed").asRuntimeException());
      open = null;
    }
  }

  /** One open stream and the batches it has not yet answered. */
  private final class Open implements StreamObserver<IngestAcks> {
    final Queue<CompletableFuture<List<IngestAck>>> pending = new ArrayDeque<>();
    @SuppressWarnings("NullAway.Init") // set right after the call starts, before any batch is sent
    StreamObserver<SensorEventBatch> requests;

    @Override
    public void onNext(IngestAcks acks) {
      CompletableFuture<List<IngestAck>> answered;
      synchronized (IngestStream.this) {
        answered = pending.poll();
      }
      if (answered != null) {
        answered.complete(acks.getAcksList());
      }
    }

    @Override
    public void onError(Throwable error) {
      StatusRuntimeException failure = error instanceof StatusRuntimeException s ? s
          : Status.fromThrowable(error).asRuntimeException();
      synchronized (IngestStream.this) {
        if (open == this) {
          open = null;
        }
      }
      fail(failure);
    }

    @Override
    public void onCompleted() {
      onError(Status.UNAVAILABLE.withDescription("the store ended the ingest stream").asRuntimeException());
    }

    void fail(RuntimeException failure) {
      while (true) {
        CompletableFuture<List<IngestAck>> waiting;
        synchronized (IngestStream.this) {
          waiting = pending.poll();
        }
        if (waiting == null) {
          return;
        }
        waiting.completeExceptionally(failure);
      }
    }
  }
}
