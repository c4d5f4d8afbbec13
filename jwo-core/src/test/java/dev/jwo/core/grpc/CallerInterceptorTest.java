package dev.jwo.core.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.Guice;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.Credential;
import dev.jwo.core.TestStores;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.security.BearerToken;
import dev.jwo.core.security.Caller;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenKey;
import dev.jwo.core.v1.CapturePolicy;
import dev.jwo.core.v1.GetCapturePolicyRequest;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every call is authenticated and authorized by the server's interceptor: deny by default. */
class CallerInterceptorTest {
  static final String ALICE = "card-alice";

  /** Answers with the caller the server saw; a shopper may ask only about its own credential. */
  static final class WhoAmI implements BindableService {
    static final MethodDescriptor<String, String> ASK = JwoGrpcServerTest.SlowService.SLEEP.toBuilder()
        .setFullMethodName(MethodDescriptor.generateFullMethodName("jwo.test.WhoAmI", "Ask")).build();
    static final MethodDescriptor<String, String> UNLISTED = ASK.toBuilder()
        .setFullMethodName(MethodDescriptor.generateFullMethodName("jwo.test.WhoAmI", "Unlisted")).build();
    final AtomicReference<String> served = new AtomicReference<>("");

    @Override
    public ServerServiceDefinition bindService() {
      return ServerServiceDefinition.builder("jwo.test.WhoAmI")
          .addMethod(ASK, ServerCalls.asyncUnaryCall((request, response) -> {
            served.set(request);
            response.onNext(Caller.current().map(Caller::identity).orElse("nobody"));
            response.onCompleted();
          }))
          .addMethod(UNLISTED, ServerCalls.asyncUnaryCall((request, response) -> {
            response.onNext("served");
            response.onCompleted();
          }))
          .build();
    }
  }

  final WhoAmI whoAmI = new WhoAmI();
  CoreServer store;

  @BeforeEach
  void start() {
    store = new CoreServer(Duration.ofSeconds(30), PermissionTable.builder()
        .allowOwnParty(WhoAmI.ASK.getFullMethodName(), (String request, Credential party) ->
            request.equals(party.reveal()), Role.STAFF)
        .build(), whoAmI);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private String ask(Channel channel, String request) {
    return ClientCalls.blockingUnaryCall(channel, WhoAmI.ASK, CallOptions.DEFAULT, request);
  }

  private static Status statusOf(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  @Test
  void aCallWithoutCredentialsIsUnauthenticatedAndSaysHowToGetSome() {
    Status status = statusOf(() -> SensorIngestServiceGrpc.newBlockingStub(store.connection)
        .getCapturePolicy(GetCapturePolicyRequest.getDefaultInstance()));

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("authorization: Bearer").contains("jwo token --role");
  }

  @Test
  void aTokenOfAnotherKeyOrStoreOrOutOfDateIsUnauthenticated() {
    String storeId = TestStores.small().storeId().value();
    Caller staff = new Caller(Role.STAFF, "bob", null);
    Instant now = Instant.now();
    TokenKey otherKey = TokenKey.generate();

    assertThat(refusal(otherKey.issue(storeId, staff, now, Duration.ofHours(1))))
        .contains("not signed by this store's token key");
    assertThat(refusal(store.key.issue("another-store", staff, now, Duration.ofHours(1))))
        .contains("for store 'another-store'");
    assertThat(refusal(store.key.issue(storeId, staff, now.minus(Duration.ofHours(2)), Duration.ofHours(1))))
        .contains("expired at");
    assertThat(refusal(store.key.issue(storeId, staff, now.plus(Duration.ofHours(1)), Duration.ofHours(1))))
        .contains("valid only from");
    assertThat(refusal("not.a-token")).contains("not a signed token");
    String valid = store.key.issue(storeId, staff, now, Duration.ofHours(1));
    String[] parts = valid.split("\\.", -1);
    String forged = store.key.issue(storeId, new Caller(Role.COMPLIANCE_OFFICER, "bob", null), now,
        Duration.ofHours(1)).split("\\.", -1)[1];
    assertThat(refusal(parts[0] + "." + forged + "." + parts[2])).contains("not signed by this store's token key");
    assertThat(whoAmI.served.get()).isEmpty();
  }

  private String refusal(String token) {
    Status status = statusOf(() -> ask(BearerToken.of(token).on(store.connection), ALICE));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    return String.valueOf(status.getDescription());
  }

  @Test
  void aRoleTheTableDoesNotListIsDeniedWithTheRolesThatMay() {
    Status status = statusOf(() -> ask(store.callers.as(store.connection, Role.COMPLIANCE_OFFICER), ALICE));

    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("compliance-officer may not call jwo.test.WhoAmI/Ask")
        .contains("staff").contains("shopper-app (own party)");
    assertThat(whoAmI.served.get()).isEmpty();
  }

  @Test
  void aMethodInNoTableIsDeniedToEveryone() {
    for (Role role : Role.values()) {
      Channel channel = role == Role.SHOPPER_APP
          ? store.callers.shopper("app", Credential.of(ALICE)).on(store.connection)
          : store.callers.as(store.connection, role);
      Status status = statusOf(() -> ClientCalls.blockingUnaryCall(channel, WhoAmI.UNLISTED, CallOptions.DEFAULT, ""));
      assertThat(status.getCode()).as(role.wireName()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription()).contains("in no permission table");
    }
  }

  @Test
  void theServiceSeesTheAuthenticatedCaller() {
    assertThat(ask(store.callers.bearer(Role.STAFF, "bob").on(store.connection), ALICE)).isEqualTo("staff/bob");
  }

  @Test
  void aShopperMayAskAboutItsOwnPartyOnly() {
    Channel alicesApp = store.callers.shopper("alices-phone", Credential.of(ALICE)).on(store.connection);

    assertThat(ask(alicesApp, ALICE)).isEqualTo("shopper-app/alices-phone");
    whoAmI.served.set("");
    Status status = statusOf(() -> ask(alicesApp, "card-bob"));
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("only for its own party");
    assertThat(whoAmI.served.get()).as("the service never saw the request").isEmpty();
  }

  @Test
  void theGatewayRoleMayIngestButReadsNoCapturePolicyOnlyWhenListed() {
    CapturePolicy policy = SensorIngestServiceGrpc.newBlockingStub(store.channel)
        .getCapturePolicy(GetCapturePolicyRequest.getDefaultInstance());
    assertThat(policy).isNotNull();
    Status status = statusOf(() -> SensorIngestServiceGrpc.newBlockingStub(
            store.callers.as(store.connection, Role.REVIEWER))
        .getCapturePolicy(GetCapturePolicyRequest.getDefaultInstance()));
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aServerWithoutCallerAuthenticationRefusesToStart() {
    String name = InProcessServerBuilder.generateName();
    JwoGrpcServer server = Guice.createInjector(new CoreModule(TestStores.small()), binder ->
            OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class).setBinding()
                .toInstance(GrpcServerSettings.inProcess(name)))
        .getInstance(JwoGrpcServer.class);

    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never serves without one");
  }
}
