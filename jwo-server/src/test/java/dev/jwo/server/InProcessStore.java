package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the gRPC tests bind to serve a store in process, and how they send it sensor input. */
final class InProcessStore {
  private InProcessStore() {}

  /** Serves the store in process under {@code name}, its callers checked against the key of {@code callers}. */
  static Module serving(String name, TokenIssuer callers) {
    return binder -> {
      OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class).setBinding()
          .toInstance(GrpcServerSettings.inProcess(name));
      OptionalBinder.newOptionalBinder(binder, CallerAuthentication.class).setBinding()
          .toInstance(callers.authentication());
    };
  }

  /**
   * Sends {@code messages} on one sensor stream as {@code gateway}, stamped with the wall clock a millisecond apart,
   * and waits until each is acknowledged as accepted. Returns the time of the last.
   */
  static long sendAccepted(Channel gateway, List<SensorEventMessage> messages) throws InterruptedException {
    LinkedBlockingQueue<IngestAck> acks = new LinkedBlockingQueue<>();
    StreamObserver<SensorEventMessage> ingest = SensorIngestServiceGrpc.newStub(gateway).ingest(
        new StreamObserver<>() {
          @Override
          public void onNext(IngestAck ack) {
            acks.add(ack);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    long ts = System.currentTimeMillis() - 1;
    for (SensorEventMessage message : messages) {
      ingest.onNext(message.toBuilder().setTsMs(++ts).build());
    }
    for (int i = 0; i < messages.size(); i++) {
      IngestAck ack = acks.poll(10, TimeUnit.SECONDS);
      assertThat(ack).isNotNull();
      assertThat(ack.getOutcome()).as(ack.getMessage()).isEqualTo(IngestAck.Outcome.ACCEPTED);
    }
    ingest.onCompleted();
    return ts;
  }
}
