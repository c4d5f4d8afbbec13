package dev.jwo.compliance.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.multibindings.OptionalBinder;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.jwo.compliance.ComplianceFixture;
import dev.jwo.compliance.inject.ComplianceModule;
import dev.jwo.compliance.keys.SubjectKey;
import dev.jwo.compliance.v1.ComplianceServiceGrpc;
import dev.jwo.compliance.v1.Disclosure;
import dev.jwo.compliance.v1.GetDisclosureRequest;
import dev.jwo.core.Credential;
import dev.jwo.core.StoreLayout;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the inputs of {@code ComplianceService}: request messages decoded from any bytes, or filled field by field
 * from them (known credentials, disclosure versions and references mixed with any text, any numbers and enum
 * values), sent over in-process gRPC to a store wired by Guice, as its compliance officer or as a shopper's app. Every
 * call succeeds or is refused with a proper status code and a description; never {@code UNKNOWN} or
 * {@code INTERNAL} (an exception the service did not turn into an answer). The store lives across inputs, so
 * consents, withdrawals, holds and deletions of one input meet the next. Every test run replays the kept inputs
 * ({@code ComplianceRequestsFuzzTestInputs}); fuzz for longer with {@code JAZZER_FUZZ=1} (see docs/SECURITY.md).
 */
class ComplianceRequestsFuzzTest {
  private static final Set<Status.Code> BROKEN =
      Set.of(Status.Code.UNKNOWN, Status.Code.INTERNAL, Status.Code.DATA_LOSS, Status.Code.UNIMPLEMENTED);
  private static final List<MethodDescriptor<?, ?>> METHODS = new ArrayList<>();
  private static final List<String> WORDS = new ArrayList<>(List.of("c-alice", "c-bob", "c-carol", "", " ",
      "WARRANT-7", "court order 12", "app-tap-to-sign", "app 4.2"));

  private static JwoGrpcServer server;
  private static ManagedChannel channel;
  private static Channel officer;
  private static Channel alicesApp;
  private static boolean started;

  /**
   * Starts the store at the first input, not before the fuzz test: in fuzzing mode Jazzer instruments classes as
   * they load, and retransforming a record already loaded whose components carry type annotations fails on Java 17
   * to 21 with {@code NoSuchFieldError} (JDK-8376185).
   */
  private static void startStore() {
    started = true;
    StoreLayout layout = ComplianceFixture.store("US-IL");
    Clock clock = Clock.fixed(Instant.ofEpochMilli(ComplianceFixture.T), ZoneOffset.UTC);
    TokenIssuer callers = TokenIssuer.withNewKey(layout.storeId().value(), clock);
    String name = InProcessServerBuilder.generateName();
    server = Guice.createInjector(new CoreModule(layout), new ComplianceModule(), new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), SubjectKey.class).setBinding()
            .toInstance(ComplianceFixture.SUBJECT_KEY);
        OptionalBinder.newOptionalBinder(binder(), GrpcServerSettings.class).setBinding()
            .toInstance(GrpcServerSettings.inProcess(name));
        OptionalBinder.newOptionalBinder(binder(), Clock.class).setBinding().toInstance(clock);
        OptionalBinder.newOptionalBinder(binder(), CallerAuthentication.class).setBinding()
            .toInstance(callers.authentication());
      }
    }).getInstance(JwoGrpcServer.class).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    officer = callers.bearer(Role.COMPLIANCE_OFFICER, "officer-1").on(channel);
    alicesApp = callers.shopper("alices-phone", Credential.of("c-alice")).on(channel);
    Disclosure disclosure = ComplianceServiceGrpc.newBlockingStub(officer)
        .getDisclosure(GetDisclosureRequest.getDefaultInstance());
    WORDS.add(disclosure.getVersion());
    WORDS.add(disclosure.getSha256());
    for (var method : ComplianceServiceGrpc.getServiceDescriptor().getMethods()) {
      METHODS.add(method);
    }
  }

  @AfterAll
  static void stopStore() {
    if (started) {
      channel.shutdownNow();
      server.shutdown(Duration.ofSeconds(5));
    }
  }

  @FuzzTest(maxDuration = "20s")
  void everyRequestIsAnsweredOrRefusedWithAProperStatus(FuzzedDataProvider data) {
    if (!started) {
      startStore();
    }
    int calls = data.consumeInt(1, 6);
    for (int i = 0; i < calls && data.remainingBytes() > 0; i++) {
      MethodDescriptor<?, ?> method = METHODS.get(data.consumeInt(0, METHODS.size() - 1));
      Channel caller = data.consumeBoolean() ? officer : alicesApp;
      Message prototype = prototypeOf(method);
      Message request;
      if (data.consumeBoolean()) {
        try {
          request = prototype.getParserForType().parseFrom(data.consumeBytes(data.consumeInt(0, 200)));
        } catch (InvalidProtocolBufferException undecodable) {
          continue; // a client cannot send what does not decode; the server's decoder is gRPC's own
        }
      } else {
        request = fill(prototype.newBuilderForType(), data, 0).build();
      }
      call(caller, method, request);
    }
  }

  @SuppressWarnings("unchecked")
  private static void call(Channel caller, MethodDescriptor<?, ?> method, Message request) {
    try {
      ClientCalls.blockingUnaryCall(caller, (MethodDescriptor<Message, Message>) method,
          CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).as("%s(%s) ended with %s", method.getBareMethodName(), request, e)
          .isNotIn(BROKEN);
      assertThat(e.getStatus().getDescription()).as("%s refused without saying why", method.getBareMethodName())
          .isNotBlank();
    }
  }

  private static Message prototypeOf(MethodDescriptor<?, ?> method) {
    return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
  }

  private static Message.Builder fill(Message.Builder builder, FuzzedDataProvider data, int depth) {
    for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
      if (data.remainingBytes() == 0 || !data.consumeBoolean()) {
        continue;
      }
      int values = field.isRepeated() ? data.consumeInt(0, 3) : 1;
      for (int v = 0; v < values; v++) {
        Object value = value(builder, field, data, depth);
        if (value == null) {
          continue;
        }
        if (field.isRepeated()) {
          builder.addRepeatedField(field, value);
        } else {
          builder.setField(field, value);
        }
      }
    }
    return builder;
  }

  private static @Nullable Object value(Message.Builder builder, FieldDescriptor field, FuzzedDataProvider data,
      int depth) {
    return switch (field.getJavaType()) {
      case STRING -> data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(80);
      case INT -> data.consumeInt();
      case LONG -> data.consumeBoolean() ? ComplianceFixture.T + data.consumeInt(-100_000, 100_000)
          : data.consumeLong();
      case BOOLEAN -> data.consumeBoolean();
      case DOUBLE -> data.consumeDouble();
      case FLOAT -> data.consumeFloat();
      case BYTE_STRING -> ByteString.copyFrom(data.consumeBytes(40));
      case ENUM -> {
        EnumDescriptor type = field.getEnumType();
        yield type.getValues().get(data.consumeInt(0, type.getValues().size() - 1));
      }
      case MESSAGE -> depth >= 3 ? null
          : fill(builder.newBuilderForField(field), data, depth + 1).build();
    };
  }
}
