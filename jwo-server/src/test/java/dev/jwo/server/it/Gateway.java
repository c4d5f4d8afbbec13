package dev.jwo.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.v1.Heartbeat;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sensor gateway as a retailer would write one: it numbers its messages, streams them to the store, and when the
 * connection is lost (the server died) it connects to the new server and sends again everything not acknowledged.
 */
final class Gateway {
  private final String source;
  private final List<SensorEventMessage> messages = new ArrayList<>();
  private final List<IngestAck> acks = new ArrayList<>();
  private int acknowledged;

  Gateway(String source, List<SensorEvent> events, long finalHeartbeatTs) {
    this.source = source;
    long sequence = 1;
    for (SensorEvent event : events) {
      messages.add(SensorEventProtos.toProto(event, source, sequence++));
    }
    messages.add(SensorEventMessage.newBuilder().setSource(source).setSequence(sequence)
        .setTsMs(finalHeartbeatTs).setHeartbeat(Heartbeat.getDefaultInstance()).build());
  }

  int size() {
    return messages.size();
  }

  /** How many messages the store has acknowledged so far. */
  synchronized int acknowledged() {
    return acknowledged;
  }

  /** The acknowledgements received, one per message (a message sent again is acknowledged again). */
  synchronized List<IngestAck> acks() {
    return List.copyOf(acks);
  }

  /**
   * Sends every unacknowledged message up to index {@code until} (exclusive) and waits until all are
   * acknowledged.
   */
  void sendUntil(Channel channel, int until) throws InterruptedException {
    int from = acknowledged();
    if (from >= until) {
      return;
    }
    Object done = new Object();
    boolean[] ended = new boolean[1];
    Throwable[] error = new Throwable[1];
    StreamObserver<SensorEventMessage> stream = SensorIngestServiceGrpc.newStub(channel)
        .withDeadlineAfter(120, TimeUnit.SECONDS)
        .ingest(new StreamObserver<>() {
          @Override
          public void onNext(IngestAck ack) {
            synchronized (Gateway.this) {
              assertThat(ack.getSequence()).isEqualTo(messages.get(acknowledged).getSequence());
              acks.add(ack);
              acknowledged++;
            }
          }

          @Override
          public void onError(Throwable t) {
            synchronized (done) {
              error[0] = t;
              ended[0] = true;
              done.notifyAll();
            }
          }

          @Override
          public void onCompleted() {
            synchronized (done) {
              ended[0] = true;
              done.notifyAll();
            }
          }
        });
    for (int i = from; i < until; i++) {
      stream.onNext(messages.get(i));
    }
    stream.onCompleted();
    synchronized (done) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!ended[0] && System.nanoTime() < deadline) {
        done.wait(1_000);
      }
    }
    assertThat(error[0]).as("the ingest stream failed").isNull();
    assertThat(acknowledged()).as("every message sent to %s was acknowledged", source).isEqualTo(until);
  }
}
