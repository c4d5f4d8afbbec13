package dev.jwo.cart.grpc;

import static dev.jwo.cart.TestLayouts.CHOCOLATE;
import static dev.jwo.cart.TestLayouts.WATER;
import static dev.jwo.cart.grpc.SessionGrpcServiceTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwo.cart.ledger.CartEntry;
import dev.jwo.cart.ledger.CartLedger;
import dev.jwo.cart.session.SessionRegistry;
import dev.jwo.cart.v1.AdmitPartyRequest;
import dev.jwo.cart.v1.Cart;
import dev.jwo.cart.v1.CartLine;
import dev.jwo.cart.v1.CartServiceGrpc;
import dev.jwo.cart.v1.GetCartRequest;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.cart.v1.WatchCartRequest;
import dev.jwo.compliance.audit.AuditChain;
import dev.jwo.compliance.audit.AuditRecord;
import dev.jwo.compliance.audit.AuditType;
import dev.jwo.compliance.export.ExportChannels;
import dev.jwo.core.BinId;
import dev.jwo.core.Credential;
import dev.jwo.core.ReceiptStatus;
import dev.jwo.core.Sku;
import dev.jwo.core.TrackId;
import dev.jwo.core.VisitId;
import dev.jwo.core.pipeline.StorePipeline;
import dev.jwo.core.visit.VisitOutcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Carts over gRPC; the test stands in for the shelf stage (ledger appends) and for tracking (exits). */
class CartGrpcServiceTest {
  static final long NOW = CartServer.NOW;

  private CartServer store;
  private CartServiceGrpc.CartServiceBlockingStub carts;
  private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    store = new CartServer();
    carts = CartServiceGrpc.newBlockingStub(store.channel);
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void theCartOfAnUnknownVisitIsNotFound() {
    assertStatus(() -> carts.getCart(GetCartRequest.newBuilder().setVisitId("v-404").build()),
        Status.Code.NOT_FOUND, "no cart for visit 'v-404'");
    assertStatus(() -> carts.getCart(GetCartRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT, "visit_id is required");
    CartServiceGrpc.newStub(store.channel)
        .watchCart(WatchCartRequest.newBuilder().setVisitId("v-404").build(), recorder());
    assertThat(next()).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void aNewVisitHasAnEmptyCart() {
    VisitId visit = admit("c-1");

    Cart cart = carts.getCart(GetCartRequest.newBuilder().setVisitId(visit.value()).build());

    assertThat(cart.getVisitId()).isEqualTo(visit.value());
    assertThat(cart.getLinesList()).isEmpty();
    assertThat(cart.getTotal().getMinor()).isZero();
    assertThat(cart.getTotal().getCurrency()).isEqualTo("USD");
    assertThat(cart.getVersion()).isZero();
    assertThat(cart.getConfident()).isTrue();
    assertThat(cart.getFinal()).isFalse();
  }

  @Test
  void aWatchGetsTheCartThenEveryChangeThenTheFinalCartWhenTheVisitIsSettled() {
    VisitId visit = admit("c-1");
    CartServiceGrpc.newStub(store.channel).watchCart(watch(visit), recorder());

    assertThat(nextCart().getVersion()).isZero();
    append(visit, WATER, 1);
    Cart first = nextCart();
    append(visit, CHOCOLATE, 2);
    Cart second = nextCart();
    settle(visit);
    Cart last = nextCart();

    assertThat(first.getVersion()).isEqualTo(1);
    assertThat(first.getLinesList()).extracting(CartLine::getSku, CartLine::getQuantity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("0001", 1));
    assertThat(first.getFinal()).isFalse();
    assertThat(second.getVersion()).isEqualTo(2);
    assertThat(second.getTotal().getMinor()).isEqualTo(199 + 2 * 349);
    assertThat(second.getLinesList()).extracting(CartLine::getSku).containsExactly("0001", "0002");
    assertThat(second.getLines(1).getAmount().getMinor()).isEqualTo(698);
    assertThat(last.getFinal()).isTrue();
    assertThat(last.toBuilder().setFinal(false).build()).isEqualTo(second);
    assertThat(next()).isEqualTo("completed");
    assertThat(store.settled).extracting(VisitOutcome::decision).containsExactly(ReceiptStatus.CHARGED);
  }

  @Test
  void aWatchOfASettledVisitGetsTheFinalCartAndEnds() {
    VisitId visit = admit("c-1");
    append(visit, WATER, 1);
    settle(visit);

    CartServiceGrpc.newStub(store.channel).watchCart(watch(visit), recorder());

    Cart cart = nextCart();
    assertThat(cart.getFinal()).isTrue();
    assertThat(cart.getVersion()).isEqualTo(1);
    assertThat(next()).isEqualTo("completed");
    assertThat(carts.getCart(GetCartRequest.newBuilder().setVisitId(visit.value()).build()).getFinal()).isTrue();
  }

  @Test
  void aSlowClientGetsTheLatestCartRatherThanEveryStep() {
    VisitId visit = admit("c-1");
    AtomicReference<ClientCallStreamObserver<WatchCartRequest>> call = new AtomicReference<>();
    StreamObserver<Cart> into = recorder();
    CartServiceGrpc.newStub(store.channel).watchCart(watch(visit),
        new ClientResponseObserver<WatchCartRequest, Cart>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<WatchCartRequest> requests) {
            requests.disableAutoRequestWithInitial(1);
            call.set(requests);
          }

          @Override
          public void onNext(Cart cart) {
            into.onNext(cart);
          }

          @Override
          public void onError(Throwable t) {
            into.onError(t);
          }

          @Override
          public void onCompleted() {
            into.onCompleted();
          }
        });
    assertThat(nextCart().getVersion()).isZero();

    append(visit, WATER, 1);
    append(visit, WATER, 1);
    append(visit, CHOCOLATE, 1);
    call.get().request(1);
    Cart latest = nextCart();
    settle(visit);
    call.get().request(1);
    Cart last = nextCart();

    assertThat(latest.getVersion()).isEqualTo(3);
    assertThat(latest.getLinesList()).extracting(CartLine::getSku, CartLine::getQuantity).containsExactly(
        org.assertj.core.groups.Tuple.tuple("0001", 2), org.assertj.core.groups.Tuple.tuple("0002", 1));
    assertThat(last.getFinal()).isTrue();
    assertThat(last.getVersion()).isEqualTo(3);
    assertThat(next()).isEqualTo("completed");
  }

  @Test
  void aShopperAppReadsItsOwnPartysCartButNeverAnotherOnes() {
    VisitId alices = admit("card-alice");
    VisitId bobs = admit("card-bob");
    append(alices, WATER, 1);
    append(bobs, WATER, 2);
    io.grpc.Channel alicesApp = store.callers.shopper("alices-phone", dev.jwo.core.Credential.of("card-alice"))
        .on(store.connection);
    CartServiceGrpc.CartServiceBlockingStub app = CartServiceGrpc.newBlockingStub(alicesApp);

    assertThat(app.getCart(GetCartRequest.newBuilder().setVisitId(alices.value()).build()).getLinesList())
        .extracting(CartLine::getQuantity).containsExactly(1);
    assertStatus(() -> app.getCart(GetCartRequest.newBuilder().setVisitId(bobs.value()).build()),
        Status.Code.PERMISSION_DENIED, "only for its own party");
    assertStatus(() -> CartServiceGrpc.newBlockingStub(alicesApp)
            .watchCart(watch(bobs)).forEachRemaining(cart -> { }),
        Status.Code.PERMISSION_DENIED, "only for its own party");
    assertStatus(() -> SessionServiceGrpc.newBlockingStub(alicesApp).admitParty(AdmitPartyRequest.newBuilder()
            .setGate("in-1").setCredential("card-bob").setPartySize(1).build()),
        Status.Code.PERMISSION_DENIED, "only for its own party");
  }

  @Test
  void everyCartSentPassesTheExportGuardAsPurchasesOfTheParty() {
    VisitId visit = admit("card-alice");
    append(visit, WATER, 1);

    carts.getCart(GetCartRequest.newBuilder().setVisitId(visit.value()).build());
    CartServiceGrpc.newStub(store.channel).watchCart(watch(visit), recorder());
    nextCart();
    append(visit, CHOCOLATE, 1);
    nextCart();
    append(visit, CHOCOLATE, 1);
    nextCart();

    AuditChain audit = store.get(AuditChain.class);
    List<AuditRecord> records = audit.records().stream().filter(r -> r.type() == AuditType.DISCLOSURE).toList();
    assertThat(records).as("one disclosure per answer and one per watch, not one per streamed cart")
        .extracting(r -> r.detail("reference"))
        .containsExactly(visit + "/cart/1", visit + "/cart-watch");
    assertThat(records).allSatisfy(r -> {
      assertThat(r.detail("recipient")).isEqualTo("shopper-app");
      assertThat(r.detail("categories")).isEqualTo("purchase");
      assertThat(r.subject()).isEqualTo(audit.subjectOf(Credential.of("card-alice")));
    });
  }

  @Test
  void aStoreThatDeclaredNoShopperAppChannelSendsNoCartAndSaysWhy() {
    store.close();
    store = new CartServer(ExportChannels.of(List.of(ExportChannels.RECEIPTS)));
    carts = CartServiceGrpc.newBlockingStub(store.channel);
    VisitId visit = admit("card-alice");

    assertStatus(() -> carts.getCart(GetCartRequest.newBuilder().setVisitId(visit.value()).build()),
        Status.Code.PERMISSION_DENIED, "no export channel to 'shopper-app' is declared");
    CartServiceGrpc.newStub(store.channel).watchCart(watch(visit), recorder());
    assertThat(next()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(e.getStatus().getDescription()).contains("no export channel to 'shopper-app' is declared")
          .contains(store.get(AuditChain.class).headHash());
    });
    assertThat(store.get(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.DISCLOSURE).isEmpty();
    assertThat(store.get(AuditChain.class).records()).filteredOn(r -> r.type() == AuditType.DISCLOSURE_REFUSED)
        .hasSize(2);
  }

  @Test
  void aShopperIsKnownByHerVisitsNotByAnUnkeyedDigestInTheVisitId() {
    VisitId alices = admit("card-alice");
    io.grpc.Channel alicesApp = store.callers.shopper("alices-phone", dev.jwo.core.Credential.of("card-alice"))
        .on(store.connection);
    CartServiceGrpc.CartServiceBlockingStub app = CartServiceGrpc.newBlockingStub(alicesApp);
    // Visit ids used to end in the first 12 hex digits of SHA-256(credential), and the cart check accepted any id
    // so ending; a list of credentials reversed them.
    String unkeyed = dev.jwo.compliance.internal.Canonical.sha256Hex("card-alice").substring(0, 12);

    assertThat(alices.value()).doesNotContain(unkeyed);
    assertThat(app.getCart(GetCartRequest.newBuilder().setVisitId(alices.value()).build()).getVisitId())
        .isEqualTo(alices.value());
    assertStatus(() -> app.getCart(GetCartRequest.newBuilder().setVisitId("v-" + NOW + "-" + unkeyed).build()),
        Status.Code.PERMISSION_DENIED, "only for its own party");
  }

  private VisitId admit(String credential) {
    return VisitId.of(SessionServiceGrpc.newBlockingStub(store.channel).admitParty(AdmitPartyRequest.newBuilder()
        .setGate("in-1").setCredential(credential).setPartySize(1).build()).getVisitId());
  }

  private void append(VisitId visit, Sku sku, int quantity) {
    store.get(CartLedger.class).append(visit,
        new CartEntry(NOW + 1_000, sku, quantity, BinId.of(sku.equals(WATER) ? "A1-1" : "A1-2"), true, "test"));
  }

  /** The party's one member comes in and leaves; time then passes the checkout's grace. */
  private void settle(VisitId visit) {
    SessionRegistry sessions = store.get(SessionRegistry.class);
    sessions.memberEntered(visit, TrackId.of("t1"), NOW + 500);
    sessions.memberExited(visit, TrackId.of("t1"), NOW + 60_000);
    store.get(StorePipeline.class).advanceTo(NOW + 60_000 + 1_500);
    assertThat(store.settled).as("settled by the checkout").hasSize(1);
  }

  private static WatchCartRequest watch(VisitId visit) {
    return WatchCartRequest.newBuilder().setVisitId(visit.value()).build();
  }

  private Cart nextCart() {
    Object next = next();
    assertThat(next).isInstanceOf(Cart.class);
    return (Cart) next;
  }

  private Object next() {
    try {
      Object next = received.poll(5, TimeUnit.SECONDS);
      assertThat(next).as("a message within 5 s").isNotNull();
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private StreamObserver<Cart> recorder() {
    return new StreamObserver<>() {
      @Override
      public void onNext(Cart cart) {
        received.add(cart);
      }

      @Override
      public void onError(Throwable t) {
        received.add(t);
      }

      @Override
      public void onCompleted() {
        received.add("completed");
      }
    };
  }
}
