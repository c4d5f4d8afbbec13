package dev.jwo.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's gRPC server as Guice wires it: health, reflection, default deadline and metrics. */
class JwoGrpcServerTest {
  static final String INGEST = "jwo.core.v1.SensorIngestService";
  static final long T = 1_764_410_400_000L;

  private final SlowService slow = new SlowService();
  private CoreServer store;

  @BeforeEach
  void start() {
    store = new CoreServer(Duration.ofMillis(200), PermissionTable.builder()
        .allow(SlowService.SLEEP.getFullMethodName(), Role.SENSOR_GATEWAY)
        .allow(SlowService.FAIL.getFullMethodName(), Role.SENSOR_GATEWAY)
        .build(), slow);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void healthReportsEveryServiceServing() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(store.channel);

    for (String service : List.of("", INGEST, SlowService.NAME)) {
      assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
          .as("health of '%s'", service)
          .isEqualTo(ServingStatus.SERVING);
    }
    StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
        () -> health.check(HealthCheckRequest.newBuilder().setService("jwo.nope.v1.Nothing").build()));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void reflectionListsTheServices() throws Exception {
    LinkedBlockingQueue<ServerReflectionResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(store.channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(INGEST).build());

    ServerReflectionResponse list = responses.poll(5, TimeUnit.SECONDS);
    ServerReflectionResponse file = responses.poll(5, TimeUnit.SECONDS);
    requests.onCompleted();

    assertThat(list.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
        .contains(INGEST, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    assertThat(file.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }

  @Test
  void aSlowUnaryCallWithoutAClientDeadlineEndsAtTheDefaultDeadline() throws Exception {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(store.channel, SlowService.SLEEP, CallOptions.DEFAULT, "2000"));

    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.getStatus().getDescription()).contains("default deadline of 200 ms");
    assertThat(slow.sawCancellation.await(5, TimeUnit.SECONDS))
        .as("the handler's context is cancelled at the deadline, before its 2 s are up").isTrue();
    assertThat(slow.cancelled).isTrue();
  }

  @Test
  void aClientDeadlineReplacesTheDefault() {
    String answer = ClientCalls.blockingUnaryCall(store.channel, SlowService.SLEEP,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "500");

    assertThat(answer).isEqualTo("slept 500 ms");
    assertThat(slow.cancelled).isFalse();
  }

  @Test
  void aStatusThrownByAServiceReachesTheClient() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(store.channel, SlowService.FAIL, CallOptions.DEFAULT, "v-404"));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription()).isEqualTo("no visit 'v-404'");
  }

  @Test
  void streamingCallsHaveNoDefaultDeadline() throws Exception {
    LinkedBlockingQueue<Object> acks = new LinkedBlockingQueue<>();
    StreamObserver<SensorEventMessage> stream = SensorIngestServiceGrpc.newStub(store.channel)
        .ingest(recorder(acks));

    Thread.sleep(600); // three times the default unary deadline
    stream.onNext(SensorEventMessage.newBuilder().setSource("gw").setSequence(1).setTsMs(T)
        .setHeartbeat(dev.jwo.core.v1.Heartbeat.getDefaultInstance()).build());

    assertThat(acks.poll(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(IngestAck.class,
        ack -> assertThat(ack.getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED));
    stream.onCompleted();
    assertThat(acks.poll(5, TimeUnit.SECONDS)).isEqualTo("completed");
  }

  @Test
  void everyCallIsMeasuredWithMicrometersGrpcMeters() throws Exception {
    LinkedBlockingQueue<Object> acks = new LinkedBlockingQueue<>();
    StreamObserver<SensorEventMessage> stream = SensorIngestServiceGrpc.newStub(store.channel)
        .ingest(recorder(acks));
    for (int i = 1; i <= 3; i++) {
      stream.onNext(SensorEventMessage.newBuilder().setSource("gw").setSequence(i).setTsMs(T + i)
          .setHeartbeat(dev.jwo.core.v1.Heartbeat.getDefaultInstance()).build());
    }
    stream.onCompleted();
    for (int i = 0; i < 4; i++) {
      assertThat(acks.poll(5, TimeUnit.SECONDS)).isNotNull();
    }
    StatusRuntimeException deadline = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(store.channel, SlowService.SLEEP, CallOptions.DEFAULT, "2000"));
    assertThat(deadline.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

    MeterRegistry registry = store.registry();
    assertThat(registry.get("grpc.server.requests.received")
        .tags("service", INGEST, "method", "Ingest", "methodType", "BIDI_STREAMING").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("grpc.server.responses.sent")
        .tags("service", INGEST, "method", "Ingest", "methodType", "BIDI_STREAMING").counter().count())
        .isEqualTo(3);
    awaitTrue(() -> timerCount(registry, INGEST, "Ingest", "OK") == 1);
    awaitTrue(() -> timerCount(registry, SlowService.NAME, "Sleep", "DEADLINE_EXCEEDED") == 1);
  }

  private static long timerCount(MeterRegistry registry, String service, String method, String status) {
    Timer timer = registry.find("grpc.server.processing.duration")
        .tags("service", service, "method", method, "statusCode", status).timer();
    return timer == null ? 0 : timer.count();
  }

  static <T> StreamObserver<T> recorder(LinkedBlockingQueue<Object> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T answer) {
        into.add(answer);
      }

      @Override
      public void onError(Throwable t) {
        into.add(t);
      }

      @Override
      public void onCompleted() {
        into.add("completed");
      }
    };
  }

  /** Waits up to five seconds for something that happens on another thread. */
  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /**
   * A service whose unary method {@code Sleep} waits the number of milliseconds it is sent, or until cancelled, and
   * whose {@code Fail} throws NOT_FOUND.
   */
  static final class SlowService implements BindableService {
    static final String NAME = "jwo.test.SlowService";
    static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(String value) {
        return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public String parse(InputStream stream) {
        try {
          return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    static final MethodDescriptor<String, String> SLEEP = MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, "Sleep"))
        .setRequestMarshaller(TEXT)
        .setResponseMarshaller(TEXT)
        .build();

    static final MethodDescriptor<String, String> FAIL = SLEEP.toBuilder()
        .setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, "Fail"))
        .build();

    final CountDownLatch sawCancellation = new CountDownLatch(1);
    volatile boolean cancelled;

    @Override
    public ServerServiceDefinition bindService() {
      return ServerServiceDefinition.builder(NAME)
          .addMethod(SLEEP, ServerCalls.asyncUnaryCall(this::sleep))
          .addMethod(FAIL, ServerCalls.asyncUnaryCall((String visit, StreamObserver<String> response) -> {
            throw Status.NOT_FOUND.withDescription("no visit '" + visit + "'").asRuntimeException();
          }))
          .build();
    }

    private void sleep(String millis, StreamObserver<String> response) {
      CountDownLatch cancellation = new CountDownLatch(1);
      Context.current().addListener(context -> cancellation.countDown(), Runnable::run);
      try {
        if (cancellation.await(Long.parseLong(millis), TimeUnit.MILLISECONDS)) {
          cancelled = true;
          sawCancellation.countDown();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      response.onNext("slept " + millis + " ms");
      response.onCompleted();
    }
  }
}
