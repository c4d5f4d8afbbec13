package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Camera;
import dev.jwo.core.CameraId;
import dev.jwo.core.FeatureKind;
import dev.jwo.core.Point3;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.ExitPass;
import dev.jwo.core.v1.FeatureRemoval;
import dev.jwo.core.v1.Heartbeat;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.Position;
import dev.jwo.core.v1.RejectionReason;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import dev.jwo.core.v1.WeightReading;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the ingest path of a complete store (every default module, in-memory storage, its real intake and
 * pipeline): any bytes, sent as a gateway's messages on {@code SensorIngestService/Ingest} (undecodable bytes, and
 * messages built from the bytes with known and unknown ids, any times, sequences, sizes and values, store-only fields
 * included), are each answered, accepted or rejected with a reason and a message; the stream never fails, and
 * afterwards the store still takes a gateway's next message. The store lives across inputs, so that what one input
 * left behind (sources, visits, event time) meets the next. Every test run replays the kept inputs
 * ({@code IngestFuzzTestInputs}); fuzz for longer with {@code JAZZER_FUZZ=1} (see docs/SECURITY.md).
 */
class IngestFuzzTest {
  private static final long START = 1_764_410_400_000L;
  private static final String[] SOURCES = {"gw-gate", "gw-shelf", "gw-cam", "gw-1", ""};
  private static final String[] GATES = {"in-1", "out-1", "nowhere"};
  private static final String[] BINS = {"A1-1", "A1-2", "A1-6", "Z9"};
  private static final String[] CAMERAS = {"cam-1", "cam-2", "cam-9"};
  private static final String[] CREDENTIALS = {"c-alice", "c-bob", ""};
  private static final String PROBE = "probe-gw";
  private static final MethodDescriptor<byte[], IngestAck> INGEST_BYTES = SensorIngestServiceGrpc.getIngestMethod()
      .toBuilder(RawBytes.MARSHALLER, ProtoUtils.marshaller(IngestAck.getDefaultInstance())).build();

  private static final MutableClock clock = new MutableClock(START);
  private static final Map<String, Long> nextSequence = new HashMap<>();
  private static Injector injector;
  private static JwoGrpcServer server;
  private static ManagedChannel connection;
  private static TokenIssuer callers;
  private static boolean started;

  /**
   * Starts the store at the first input, not before the fuzz test: in fuzzing mode Jazzer instruments classes as
   * they load, and retransforming a record already loaded whose components carry type annotations fails on Java 17
   * to 21 with {@code NoSuchFieldError} (JDK-8376185).
   */
  private static void startStore() throws InterruptedException {
    started = true;
    StoreLayout small = StoreScript.smallStore("fuzz-001", "US-IL");
    // One camera sends face vectors (biometric: the guard decides), one clothing colour, so the intake is at work.
    StoreLayout layout = new StoreLayout(small.storeId(), small.jurisdiction(), small.currency(), small.floor(),
        small.gates(), small.products(), small.bins(),
        List.of(new Camera(CameraId.of("cam-1"), new Point3(4, 3, 3), FeatureKind.FACE_GEOMETRY),
            new Camera(CameraId.of("cam-2"), new Point3(8, 3, 3), FeatureKind.CLOTHING_COLOR)));
    String name = InProcessServerBuilder.generateName();
    callers = TokenIssuer.withNewKey(layout.storeId().value(), clock);
    injector = Guice.createInjector(StoreModules.forStore(layout, InProcessStore.serving(name, callers),
        binder -> {
          OptionalBinder.newOptionalBinder(binder, Clock.class).setBinding().toInstance(clock);
        }));
    server = injector.getInstance(JwoGrpcServer.class).start();
    connection = InProcessChannelBuilder.forName(name).directExecutor().build();
    // The probe source is known before the fuzzer can fill the store's table of sources.
    assertThat(send(List.of(heartbeat(PROBE, START)))).singleElement()
        .satisfies(ack -> assertThat(ack.getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED));
  }

  @AfterAll
  static void stopStore() {
    if (started) {
      connection.shutdownNow();
      server.shutdown(Duration.ofSeconds(5));
      injector.getInstance(VisitPayments.class).close();
    }
  }

  @FuzzTest(maxDuration = "20s")
  void everyMessageIsAnsweredAndIngestGoesOn(FuzzedDataProvider data) throws InterruptedException {
    if (!started) {
      startStore();
    }
    long now = Math.max(START, injector.getInstance(StorePipeline.class).eventTime());
    clock.set(now + data.consumeInt(0, 5_000));
    List<byte[]> messages = new ArrayList<>();
    int count = data.consumeInt(1, 12);
    for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
      messages.add(data.consumeBoolean() ? data.consumeBytes(data.consumeInt(0, 400))
          : message(data, now).toByteArray());
    }

    List<IngestAck> acks = send(messages);

    assertThat(acks).as("one answer per message").hasSize(messages.size());
    for (IngestAck ack : acks) {
      assertThat(ack.getOutcome()).isIn(IngestAck.Outcome.ACCEPTED, IngestAck.Outcome.REJECTED);
      if (ack.getOutcome() == IngestAck.Outcome.REJECTED) {
        assertThat(ack.getReason()).isNotIn(RejectionReason.REJECTION_REASON_UNSPECIFIED, RejectionReason.UNRECOGNIZED);
        assertThat(ack.getMessage()).as("a rejection says why").isNotBlank();
      }
    }
    long after = Math.max(clock.millis() - 1_000, injector.getInstance(StorePipeline.class).eventTime());
    clock.set(Math.max(clock.millis(), after));
    assertThat(send(List.of(heartbeat(PROBE, after)))).singleElement().satisfies(ack ->
        assertThat(ack.getOutcome()).as("the store still takes input: %s", ack).isEqualTo(IngestAck.Outcome.ACCEPTED));
  }

  private static SensorEventMessage message(FuzzedDataProvider data, long now) {
    String source = data.consumeBoolean() ? data.pickValue(SOURCES) : data.consumeString(80);
    long sequence = data.consumeBoolean() ? nextSequence.merge(source, 1L, Long::sum) : data.consumeLong();
    long ts = data.consumeBoolean() ? now + data.consumeInt(-90_000, 90_000) : data.consumeLong();
    SensorEventMessage.Builder message = SensorEventMessage.newBuilder().setSource(source).setSequence(sequence)
        .setTsMs(ts);
    switch (data.consumeInt(0, 5)) {
      case 0 -> message.setEntry(EntryScan.newBuilder().setGate(pickOrAny(data, GATES))
          .setCredential(pickOrAny(data, CREDENTIALS)).setPartySize(data.consumeInt(-2, 20))
          .setConsentVersion(data.consumeString(20)));
      case 1 -> message.setExit(ExitPass.newBuilder().setGate(pickOrAny(data, GATES)));
      case 2 -> message.setWeight(WeightReading.newBuilder().setBin(pickOrAny(data, BINS))
          .setGrams(data.consumeBoolean() ? data.consumeInt(0, 30_000) : data.consumeDouble()));
      case 3 -> message.setFrame(frame(data));
      case 4 -> message.setHeartbeat(Heartbeat.getDefaultInstance());
      default -> { } // no event at all
    }
    return message.build();
  }

  private static CameraFrame frame(FuzzedDataProvider data) {
    CameraFrame.Builder frame = CameraFrame.newBuilder().setCamera(pickOrAny(data, CAMERAS));
    int people = data.consumeInt(0, 4);
    for (int p = 0; p < people; p++) {
      PersonDetection.Builder person = PersonDetection.newBuilder().setPosition(Position.newBuilder()
          .setX(coordinate(data, 12)).setY(coordinate(data, 8)));
      int hands = data.consumeInt(0, 2);
      for (int h = 0; h < hands; h++) {
        person.addHands(dev.jwo.core.v1.Point3.newBuilder().setX(coordinate(data, 12)).setY(coordinate(data, 8))
            .setZ(coordinate(data, 2)));
      }
      int features = data.consumeInt(0, 8);
      for (int f = 0; f < features; f++) {
        person.addFeatures(data.consumeBoolean() ? data.consumeInt(-100, 100) / 100.0 : data.consumeDouble());
      }
      switch (data.consumeInt(0, 6)) {
        case 0 -> person.setSealedFeatures(data.consumeString(20));
        case 1 -> person.setRemovedFeatures(FeatureRemoval.newBuilder().setReason(data.consumeString(10)));
        default -> { }
      }
      frame.addPeople(person);
    }
    return frame.build();
  }

  private static double coordinate(FuzzedDataProvider data, int extent) {
    return data.consumeBoolean() ? data.consumeInt(0, extent * 100) / 100.0 : data.consumeDouble();
  }

  private static String pickOrAny(FuzzedDataProvider data, String[] known) {
    return data.consumeBoolean() ? data.pickValue(known) : data.consumeString(40);
  }

  private static byte[] heartbeat(String source, long ts) {
    return SensorEventMessage.newBuilder().setSource(source).setSequence(nextSequence.merge(source, 1L, Long::sum))
        .setTsMs(ts).setHeartbeat(Heartbeat.getDefaultInstance()).build().toByteArray();
  }

  /** Sends {@code messages} on one ingest stream and returns its answers; fails if the stream fails. */
  private static List<IngestAck> send(List<byte[]> messages) throws InterruptedException {
    LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    // A token of the store's present: its clock moves on with the input, days over a long run.
    Channel gateway = callers.as(connection, Role.SENSOR_GATEWAY);
    StreamObserver<byte[]> stream = ClientCalls.asyncBidiStreamingCall(
        gateway.newCall(INGEST_BYTES, CallOptions.DEFAULT), new StreamObserver<IngestAck>() {
          @Override
          public void onNext(IngestAck ack) {
            answers.add(ack);
          }

          @Override
          public void onError(Throwable t) {
            answers.add(t);
          }

          @Override
          public void onCompleted() {
            answers.add("completed");
          }
        });
    messages.forEach(stream::onNext);
    stream.onCompleted();
    List<IngestAck> acks = new ArrayList<>();
    while (true) {
      Object next = answers.poll(30, TimeUnit.SECONDS);
      assertThat(next).as("ingest answered within 30 s").isNotNull();
      if ("completed".equals(next)) {
        return acks;
      }
      if (next instanceof Throwable t) {
        throw new AssertionError("the ingest stream failed after " + acks.size() + " answers", t);
      }
      acks.add((IngestAck) next);
    }
  }

  /** The store's clock, set by the test to just after the input it sends. */
  private static final class MutableClock extends Clock {
    private final AtomicLong millis;

    MutableClock(long millis) {
      this.millis = new AtomicLong(millis);
    }

    void set(long value) {
      millis.set(value);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
