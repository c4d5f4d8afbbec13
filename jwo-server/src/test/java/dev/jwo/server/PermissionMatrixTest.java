package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.jwo.core.Credential;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every RPC the complete store serves, called by every role and by nobody: enumerated from the server's registry,
 * so that a new RPC without an entry below (and in its module's permission table) fails here. The table below is
 * the one documented in docs/SECURITY.md.
 */
class PermissionMatrixTest {
  static final long START = 1_764_410_400_000L;

  /** What each RPC is open to; {@code own party}: a shopper's app, for requests about its own party only. */
  static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("jwo.cart.v1.CartService/GetCart", "shopper-app (own party), reviewer, staff");
    EXPECTED.put("jwo.cart.v1.CartService/WatchCart", "shopper-app (own party), reviewer, staff");
    EXPECTED.put("jwo.cart.v1.SessionService/AdmitParty", "shopper-app (own party), staff");
    EXPECTED.put("jwo.cart.v1.SessionService/RequestEntry", "sensor-gateway, staff");
    EXPECTED.put("jwo.cart.v1.SessionService/CancelEntry", "sensor-gateway, staff");
    EXPECTED.put("jwo.cart.v1.SessionService/GetSession",
        "shopper-app (own party), reviewer, staff, store-admin");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/DeleteSubjectData", "compliance-officer");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/GetDisclosure",
        "sensor-gateway, shopper-app, reviewer, staff, compliance-officer, store-admin");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/GetExposureReport", "compliance-officer, store-admin");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/GetPublicDocument",
        "sensor-gateway, shopper-app, reviewer, staff, compliance-officer, store-admin");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/JoinParty", "shopper-app (own party), compliance-officer");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/LeaveParty", "shopper-app (own party), compliance-officer");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/PlaceLegalHold", "compliance-officer");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/ReleaseLegalHold", "compliance-officer");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/RecordConsent", "shopper-app (own party), compliance-officer");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/SubjectAccess", "shopper-app (own party), compliance-officer");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/VerifyAuditChain", "compliance-officer, store-admin");
    EXPECTED.put("jwo.compliance.v1.ComplianceService/WithdrawConsent",
        "shopper-app (own party), compliance-officer");
    EXPECTED.put("jwo.core.v1.SensorIngestService/GetCapturePolicy",
        "sensor-gateway, staff, compliance-officer, store-admin");
    EXPECTED.put("jwo.core.v1.SensorIngestService/Ingest", "sensor-gateway");
    EXPECTED.put("jwo.core.v1.SensorIngestService/IngestBatches", "sensor-gateway");
    EXPECTED.put("jwo.payments.v1.ReceiptService/GetReceipt", "shopper-app (own party), reviewer, staff, store-admin");
    EXPECTED.put("jwo.payments.v1.ReceiptService/ListReceipts", "reviewer, staff, store-admin");
    EXPECTED.put("jwo.payments.v1.ReceiptService/RenderReceipt",
        "shopper-app (own party), reviewer, staff, store-admin");
    EXPECTED.put("jwo.payments.v1.ReceiptService/ListReceiptVersions",
        "shopper-app (own party), reviewer, staff, store-admin");
    EXPECTED.put("jwo.payments.v1.DisputeService/ContestReceiptLine", "shopper-app (own party), staff, store-admin");
    EXPECTED.put("jwo.payments.v1.ReviewService/ListPendingReviews", "reviewer, staff, store-admin");
    EXPECTED.put("jwo.payments.v1.ReviewService/GetReview", "reviewer, staff, store-admin");
    EXPECTED.put("jwo.payments.v1.ReviewService/ClaimReview", "reviewer, store-admin");
    EXPECTED.put("jwo.payments.v1.ReviewService/ResolveReview", "reviewer, store-admin");
    EXPECTED.put("jwo.payments.v1.IncidentService/WatchIncidents", "staff, store-admin");
    EXPECTED.put("jwo.payments.v1.RestrictedItemService/RecordVerifiedAge", "shopper-app (own party)");
    EXPECTED.put("jwo.payments.v1.RestrictedItemService/WatchStaffChecks", "staff, store-admin");
    EXPECTED.put("jwo.payments.v1.RestrictedItemService/ResolveStaffCheck", "staff");
    EXPECTED.put("jwo.payments.v1.InventoryService/GetInventory", "staff, store-admin");
    EXPECTED.put("jwo.payments.v1.InventoryService/WatchInventory", "staff, store-admin");
    EXPECTED.put("jwo.payments.v1.InventoryService/Restock", "staff");
  }

  private final StoreScript script = new StoreScript(StoreScript.smallStore("perm-001", "US-IL"), START, 5);
  private final TokenIssuer callers = TokenIssuer.withNewKey(script.layout().storeId().value(), Clock.systemUTC());
  private Injector injector;
  private JwoGrpcServer server;
  private ManagedChannel connection;

  @BeforeEach
  void start() {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(
        StoreModules.forStore(script.layout(), InProcessStore.serving(name, callers)));
    server = injector.getInstance(JwoGrpcServer.class).start();
    connection = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    connection.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
    injector.getInstance(VisitPayments.class).close();
  }

  @Test
  void everyServedRpcHasExactlyTheExpectedPermissions() {
    PermissionTable table = server.permissions();
    Map<String, String> served = new TreeMap<>();
    for (ServiceDescriptor service : server.services()) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        served.put(method.getFullMethodName(), table.describe(method.getFullMethodName()));
      }
    }
    assertThat(served).as("a new RPC needs an entry in its module's permission table, here and in docs/SECURITY.md")
        .containsExactlyInAnyOrderEntriesOf(EXPECTED);
    assertThat(table.methods()).as("the table names no RPC that is not served").isEqualTo(served.keySet());
  }

  @Test
  void everyRpcRefusesAnyoneWithoutCredentialsAndEveryRoleItIsNotOpenTo() {
    PermissionTable table = server.permissions();
    Map<String, Status.Code> outcomes = new TreeMap<>();
    for (ServiceDescriptor service : server.services()) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        String name = method.getFullMethodName();
        assertThat(call(connection, method).getCode()).as("%s without credentials", name)
            .isEqualTo(Status.Code.UNAUTHENTICATED);
        for (Role role : Role.values()) {
          Channel channel = role == Role.SHOPPER_APP
              ? callers.shopper("alices-phone", Credential.of("card-alice")).on(connection)
              : callers.as(connection, role);
          Status status = call(channel, method);
          outcomes.put(name + " as " + role.wireName(), status.getCode());
          PermissionTable.Grant grant = table.grant(name, role);
          if (grant == PermissionTable.Grant.ALLOW) {
            assertThat(status.getCode()).as("%s as %s: %s", name, role.wireName(), status.getDescription())
                .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
          } else {
            // An empty request names nobody's party, so the shopper's own-party methods refuse it too.
            assertThat(status.getCode()).as("%s as %s", name, role.wireName())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).as("%s as %s", name, role.wireName())
                .containsAnyOf("may not call", "only for its own party");
          }
        }
      }
    }
    assertThat(outcomes).hasSize(EXPECTED.size() * Role.values().length);
    assertThat(outcomes).containsEntry("jwo.compliance.v1.ComplianceService/PlaceLegalHold as sensor-gateway",
        Status.Code.PERMISSION_DENIED);
    assertThat(outcomes).containsEntry("jwo.cart.v1.CartService/GetCart as shopper-app",
        Status.Code.PERMISSION_DENIED);
  }

  /** Calls {@code method} with one empty request and returns how the call ended. */
  private static Status call(Channel channel, MethodDescriptor<?, ?> method) {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(method.getType())
        .setFullMethodName(method.getFullMethodName())
        .setRequestMarshaller(RawBytes.MARSHALLER)
        .setResponseMarshaller(RawBytes.MARSHALLER)
        .build();
    ClientCall<byte[], byte[]> call = channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(Integer.MAX_VALUE);
    call.sendMessage(new byte[0]);
    call.halfClose();
    try {
      return closed.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      call.cancel("the test gave up", e);
      throw new AssertionError(method.getFullMethodName() + " did not end", e);
    }
  }
}
