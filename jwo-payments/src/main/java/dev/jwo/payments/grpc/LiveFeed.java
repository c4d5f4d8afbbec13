package dev.jwo.payments.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Sends a server stream's messages in order as fast as its client takes them (gRPC flow control), queueing the
 * rest; a client that falls more than {@code limit} messages behind is ended with {@code RESOURCE_EXHAUSTED} and
 * told how to resume, rather than letting the queue grow without bound. Thread-safe.
 */
final class LiveFeed<T> {
  private final ServerCallStreamObserver<T> observer;
  private final int limit;
  private final String resume;
  private final Queue<T> queue = new ArrayDeque<>();
  private boolean ended;
  private boolean endWhenDrained;

  /** @param resume what the client should do after falling behind, for the status message */
  LiveFeed(StreamObserver<T> observer, int limit, String resume) {
    this.observer = (ServerCallStreamObserver<T>) observer;
    this.limit = limit;
    this.resume = resume;
    this.observer.setOnReadyHandler(this::drain);
  }

  /** Runs {@code action} when the client cancels the call or it ends. */
  void onCancel(Runnable action) {
    observer.setOnCancelHandler(action);
  }

  synchronized void offer(T message) {
    if (ended) {
      return;
    }
    if (queue.size() >= limit) {
      ended = true;
      queue.clear();
      observer.onError(Status.RESOURCE_EXHAUSTED.withDescription("the client fell more than " + limit
          + " messages behind; " + resume).asRuntimeException());
      return;
    }
    queue.add(message);
    drain();
  }

  /** Ends the stream once everything queued is sent. */
  synchronized void complete() {
    endWhenDrained = true;
    drain();
  }

  boolean isCancelled() {
    return observer.isCancelled();
  }

  private synchronized void drain() {
    while (!ended && !observer.isCancelled() && observer.isReady() && !queue.isEmpty()) {
      observer.onNext(queue.poll());
    }
    if (!ended && endWhenDrained && queue.isEmpty() && !observer.isCancelled()) {
      ended = true;
      observer.onCompleted();
    }
  }
}
