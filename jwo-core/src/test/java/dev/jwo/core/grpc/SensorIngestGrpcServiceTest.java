package dev.jwo.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.core.BinId;
import dev.jwo.core.Credential;
import dev.jwo.core.GateId;
import dev.jwo.core.event.EntryEvent;
import dev.jwo.core.event.ExitEvent;
import dev.jwo.core.event.WeightEvent;
import dev.jwo.core.pipeline.RejectionReason;
import dev.jwo.core.v1.CameraCapture;
import dev.jwo.core.v1.CameraFrame;
import dev.jwo.core.v1.CapturePolicy;
import dev.jwo.core.v1.GetCapturePolicyRequest;
import dev.jwo.core.v1.IngestAcks;
import dev.jwo.core.v1.SensorEventBatch;
import dev.jwo.core.v1.EntryScan;
import dev.jwo.core.v1.ExitPass;
import dev.jwo.core.v1.Heartbeat;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.IngestAck.Outcome;
import dev.jwo.core.v1.PersonDetection;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import dev.jwo.core.v1.WeightReading;
import io.grpc.ClientCall;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sensor gateways stream events in; every message gets one acknowledgement, in order. */
class SensorIngestGrpcServiceTest {
  static final long T = 1_764_410_400_000L;

  private CoreServer store;
  private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private StreamObserver<SensorEventMessage> stream;
  private long sequence;

  @BeforeEach
  void start() {
    store = new CoreServer(Duration.ofSeconds(30));
    stream = SensorIngestServiceGrpc.newStub(store.channel).ingest(JwoGrpcServerTest.recorder(received));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void acknowledgesEveryMessageInOrderAndKeepsTheStreamOpenAfterRejections() throws Exception {
    SensorEventMessage entry = message(T).setEntry(entryScan("in-1", "c-1", 1)).build();
    List<SensorEventMessage> messages = List.of(
        entry,
        message(T + 10).setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(Double.NaN)).build(),
        message(T + 11).build(),
        message(T + 20).setWeight(WeightReading.newBuilder().setBin("Z9").setGrams(500)).build(),
        message(T + 30).setEntry(entryScan("out-1", "c-2", 1)).build(),
        entry.toBuilder().setSequence(++sequence).build(),
        message(T + 5_000).setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(500)).build(),
        message(T - 100).setExit(ExitPass.newBuilder().setGate("out-1")).build(),
        message(T + 5_001).setFrame(CameraFrame.newBuilder().setCamera("cam-1")
            .addPeople(PersonDetection.getDefaultInstance())).build(),
        message(T + 5_002).setEntry(entryScan("in-1", "c-3", 0)).build(),
        message(T + 5_003).setEntry(entryScan("in-1", "", 1)).build(),
        message(T + 7_000).setHeartbeat(Heartbeat.getDefaultInstance()).build(),
        message(T + 7_500).setExit(ExitPass.newBuilder().setGate("out-1")).build());

    messages.forEach(stream::onNext);
    stream.onCompleted();
    List<IngestAck> acks = acks(messages.size());

    assertThat(acks).extracting(IngestAck::getSequence)
        .containsExactlyElementsOf(messages.stream().map(SensorEventMessage::getSequence).toList());
    assertThat(acks).extracting(IngestAck::getSource).containsOnly("gw-1");
    assertThat(acks).extracting(IngestAck::getOutcome).containsExactly(
        Outcome.ACCEPTED, Outcome.REJECTED, Outcome.REJECTED, Outcome.REJECTED, Outcome.REJECTED, Outcome.REJECTED,
        Outcome.ACCEPTED, Outcome.REJECTED, Outcome.REJECTED, Outcome.REJECTED, Outcome.REJECTED, Outcome.ACCEPTED,
        Outcome.ACCEPTED);
    assertRejected(acks.get(1), dev.jwo.core.v1.RejectionReason.MALFORMED, "must be a finite number of grams");
    assertRejected(acks.get(2), dev.jwo.core.v1.RejectionReason.MALFORMED, "carries no event");
    assertRejected(acks.get(3), dev.jwo.core.v1.RejectionReason.UNKNOWN_ID, "bin 'Z9'");
    assertRejected(acks.get(4), dev.jwo.core.v1.RejectionReason.INVALID_VALUE, "which is an EXIT gate");
    assertRejected(acks.get(5), dev.jwo.core.v1.RejectionReason.DUPLICATE, "already received");
    assertRejected(acks.get(7), dev.jwo.core.v1.RejectionReason.TOO_LATE, "ms late");
    assertRejected(acks.get(8), dev.jwo.core.v1.RejectionReason.MALFORMED, "no position");
    assertRejected(acks.get(9), dev.jwo.core.v1.RejectionReason.MALFORMED, "party size must be at least 1");
    assertRejected(acks.get(10), dev.jwo.core.v1.RejectionReason.MALFORMED, "Credential must not be blank");
    assertThat(acks).filteredOn(a -> a.getOutcome() == Outcome.ACCEPTED)
        .allSatisfy(a -> assertThat(a.getMessage()).isEmpty())
        .allSatisfy(a -> assertThat(a.getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.REJECTION_REASON_UNSPECIFIED));
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("completed");

    assertThat(store.handled).containsExactly(
        new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 1, null),
        new WeightEvent(T + 5_000, BinId.of("A1-1"), 500));
    assertThat(store.pipeline().stats().accepted()).isEqualTo(3);
    assertThat(ingested("accepted", "none")).isEqualTo(4);
    assertThat(ingested("rejected", "malformed")).isEqualTo(5);
    assertThat(ingested("rejected", "unknown_id")).isEqualTo(1);
    assertThat(ingested("rejected", "invalid_value")).isEqualTo(1);
    assertThat(ingested("rejected", "duplicate")).isEqualTo(1);
    assertThat(ingested("rejected", "too_late")).isEqualTo(1);
  }

  @Test
  void undecodableBytesAreRejectedOneByOneAndTheStreamGoesOn() throws Exception {
    ClientCall<byte[], IngestAck> call = store.channel.newCall(SensorIngestServiceGrpc.getIngestMethod()
        .toBuilder(new RawBytes(), ProtoUtils.marshaller(IngestAck.getDefaultInstance())).build(),
        io.grpc.CallOptions.DEFAULT);
    LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(IngestAck message) {
        answers.add(message);
        call.request(1);
      }

      @Override
      public void onClose(io.grpc.Status status, io.grpc.Metadata trailers) {
        answers.add(status);
      }
    }, new io.grpc.Metadata());
    call.request(1);
    for (int i = 0; i < 100; i++) {
      call.sendMessage(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
    }
    call.sendMessage(message(T).setEntry(entryScan("in-1", "c-1", 1)).build().toByteArray());
    call.halfClose();

    List<Object> got = new ArrayList<>();
    for (int i = 0; i < 102; i++) {
      got.add(answers.poll(10, TimeUnit.SECONDS));
    }
    assertThat(got.subList(0, 100)).allSatisfy(a -> {
      assertThat(a).isInstanceOf(IngestAck.class);
      assertRejected((IngestAck) a, dev.jwo.core.v1.RejectionReason.MALFORMED, "could not be decoded");
    });
    assertThat(((IngestAck) got.get(100)).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(((io.grpc.Status) got.get(101)).isOk()).isTrue();
    assertThat(store.registry().get("jwo.ingest.messages").tags("source", "invalid", "reason", "malformed")
        .counter().count()).isEqualTo(100);
  }

  @Test
  void batchesAreAnsweredWithEveryMessagesAcknowledgementInOrder() throws Exception {
    LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    StreamObserver<SensorEventBatch> batches = SensorIngestServiceGrpc.newStub(store.channel)
        .ingestBatches(JwoGrpcServerTest.recorder(answers));
    SensorEventBatch first = SensorEventBatch.newBuilder()
        .addMessages(message(T).setEntry(entryScan("in-1", "c-1", 1)))
        .addMessages(message(T + 10).setWeight(WeightReading.newBuilder().setBin("Z9").setGrams(500)))
        .addMessages(message(T + 20).setExit(ExitPass.newBuilder().setGate("out-1")))
        .build();
    batches.onNext(first);
    batches.onNext(SensorEventBatch.getDefaultInstance());
    batches.onNext(SensorEventBatch.newBuilder()
        .addMessages(message(T + 30).setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(500))).build());
    batches.onCompleted();

    IngestAcks one = (IngestAcks) answers.poll(5, TimeUnit.SECONDS);
    assertThat(one.getAcksList()).extracting(IngestAck::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(one.getAcksList()).extracting(IngestAck::getOutcome)
        .containsExactly(Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED);
    assertThat(one.getAcks(1).getReason()).isEqualTo(dev.jwo.core.v1.RejectionReason.UNKNOWN_ID);
    assertThat(((IngestAcks) answers.poll(5, TimeUnit.SECONDS)).getAcksList()).isEmpty();
    assertThat(((IngestAcks) answers.poll(5, TimeUnit.SECONDS)).getAcksList()).singleElement()
        .satisfies(a -> assertThat(a.getOutcome()).isEqualTo(Outcome.ACCEPTED));
    assertThat(answers.poll(5, TimeUnit.SECONDS)).isEqualTo("completed");
    assertThat(store.pipeline().stats().accepted()).isEqualTo(3);
  }

  /** Two gateway threads share a source: their messages reach the store out of order, and none is lost. */
  @Test
  void aMessageThatArrivesOutOfOrderIsTakenOnceAndNotLost() throws Exception {
    LinkedBlockingQueue<Object> second = new LinkedBlockingQueue<>();
    StreamObserver<SensorEventMessage> other = SensorIngestServiceGrpc.newStub(store.channel)
        .ingest(JwoGrpcServerTest.recorder(second));
    stream.onNext(weight(1, T, 500));
    stream.onNext(weight(3, T + 20, 520));
    acks(2);
    other.onNext(weight(2, T + 10, 510));
    other.onNext(weight(2, T + 10, 510));
    IngestAck late = (IngestAck) second.poll(5, TimeUnit.SECONDS);
    IngestAck again = (IngestAck) second.poll(5, TimeUnit.SECONDS);

    assertThat(late.getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(late.getMessage()).as("taken, not 'already received'").isEmpty();
    assertThat(again.getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(again.getMessage()).contains("already received");
    assertThat(store.pipeline().stats().accepted()).isEqualTo(3);
    assertThat(ingested("accepted", "none")).isEqualTo(3);
    other.onCompleted();
    stream.onCompleted();
  }

  private static SensorEventMessage weight(long sequence, long ts, double grams) {
    return SensorEventMessage.newBuilder().setSource("gw-1").setSequence(sequence).setTsMs(ts)
        .setWeight(WeightReading.newBuilder().setBin("A1-1").setGrams(grams)).build();
  }

  @Test
  void theCapturePolicyTellsEachCameraWhatItMaySend() {
    CapturePolicy policy = SensorIngestServiceGrpc.newBlockingStub(store.channel)
        .getCapturePolicy(GetCapturePolicyRequest.getDefaultInstance());

    assertThat(policy.getCamerasList()).extracting(CameraCapture::getCamera, CameraCapture::getFeatures)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("cam-1", "none"),
            org.assertj.core.groups.Tuple.tuple("cam-c", "clothing_color"));
  }

  private double ingested(String outcome, String reason) {
    return store.registry().get("jwo.ingest.messages").tags("source", "gw-1", "outcome", outcome, "reason", reason)
        .counter().count();
  }

  /** Sends raw bytes as they come. */
  private static final class RawBytes implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
    @Override
    public java.io.InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(java.io.InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void aHeartbeatMovesEventTimeSoThatBufferedEventsAreProcessed() throws Exception {
    stream.onNext(message(T).setEntry(entryScan("in-1", "c-1", 2)).build());
    stream.onNext(message(T + 500).setExit(ExitPass.newBuilder().setGate("out-1")).build());
    stream.onNext(message(T + 999).setHeartbeat(Heartbeat.getDefaultInstance()).build());
    acks(3);
    assertThat(store.handled).as("the events are within the reordering window").isEmpty();

    stream.onNext(message(T + CoreServer.WINDOW_MILLIS).setHeartbeat(Heartbeat.getDefaultInstance()).build());
    assertThat(acks(1)).extracting(IngestAck::getOutcome).containsExactly(Outcome.ACCEPTED);
    assertThat(store.handled).containsExactly(new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 2, null));

    stream.onNext(message(T + 2_000).setHeartbeat(Heartbeat.getDefaultInstance()).build());
    acks(1);
    assertThat(store.handled).containsExactly(
        new EntryEvent(T, GateId.of("in-1"), Credential.of("c-1"), 2, null), new ExitEvent(T + 500, GateId.of("out-1")));
    assertThat(store.pipeline().eventTime()).isEqualTo(T + 1_000);
    stream.onCompleted();
  }

  private static void assertRejected(IngestAck ack, dev.jwo.core.v1.RejectionReason reason, String message) {
    assertThat(ack.getOutcome()).isEqualTo(Outcome.REJECTED);
    assertThat(ack.getReason()).as("reason of ack %s", ack.getSequence()).isEqualTo(reason);
    assertThat(ack.getMessage()).contains(message);
  }

  private List<IngestAck> acks(int count) throws InterruptedException {
    List<IngestAck> acks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Object next = received.poll(5, TimeUnit.SECONDS);
      assertThat(next).as("ack %s of %s", i + 1, count).isInstanceOf(IngestAck.class);
      acks.add((IngestAck) next);
    }
    return acks;
  }

  private SensorEventMessage.Builder message(long ts) {
    return SensorEventMessage.newBuilder().setSource("gw-1").setSequence(++sequence).setTsMs(ts);
  }

  private static EntryScan entryScan(String gate, String credential, int party) {
    return EntryScan.newBuilder().setGate(gate).setCredential(credential).setPartySize(party).build();
  }
}
