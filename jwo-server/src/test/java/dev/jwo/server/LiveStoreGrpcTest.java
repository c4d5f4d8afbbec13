package dev.jwo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.jwo.cart.v1.Cart;
import dev.jwo.cart.v1.CartLine;
import dev.jwo.cart.v1.CartServiceGrpc;
import dev.jwo.cart.v1.GetSessionRequest;
import dev.jwo.cart.v1.Session;
import dev.jwo.cart.v1.SessionServiceGrpc;
import dev.jwo.cart.v1.WatchCartRequest;
import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import dev.jwo.core.visit.Admission;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.Receipt;
import dev.jwo.payments.v1.ReceiptLine;
import dev.jwo.payments.v1.ReceiptServiceGrpc;
import dev.jwo.testing.scenario.StoreScript;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A complete store served in-process: a scripted shopper's sensor events come in over the ingest stream while her
 * app watches her cart; she is charged on leaving and her receipt is served. The gateway and her app each call with
 * a token of their own role.
 */
class LiveStoreGrpcTest {
  static final long START = 1_764_410_400_000L;

  private final StoreScript script = new StoreScript(StoreScript.smallStore("live-001", "US-IL"), START, 5);
  private Injector injector;
  private JwoGrpcServer server;
  private final TokenIssuer callers = TokenIssuer.withNewKey(script.layout().storeId().value(), Clock.systemUTC());
  private ManagedChannel connection;
  private Channel gateway;
  private Channel alicesApp;

  @BeforeEach
  void start() {
    String name = InProcessServerBuilder.generateName();
    injector = Guice.createInjector(
        StoreModules.forStore(script.layout(), InProcessStore.serving(name, callers)));
    server = injector.getInstance(JwoGrpcServer.class).start();
    connection = InProcessChannelBuilder.forName(name).directExecutor().build();
    gateway = callers.as(connection, Role.SENSOR_GATEWAY);
    alicesApp = callers.shopper("alices-phone", Credential.of("c-alice")).on(connection);
  }

  @AfterEach
  void stop() {
    connection.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
    injector.getInstance(VisitPayments.class).close();
  }

  @Test
  void aShopperWatchesHerCartFillAndIsChargedWhenSheLeaves() throws Exception {
    script.shopper("c-alice", 0).take("A1-1", 1).take("A1-3", 2);
    List<SensorEvent> events = script.events();
    VisitId visit = Admission.visitIdFor(dev.jwo.core.GateId.of("in-1"), START);
    int afterEntry = (int) events.stream().filter(e -> e.ts() <= START + 1_500).count();

    LinkedBlockingQueue<Object> acks = new LinkedBlockingQueue<>();
    StreamObserver<SensorEventMessage> ingest = SensorIngestServiceGrpc.newStub(gateway).ingest(recorder(acks));
    send(ingest, events.subList(0, afterEntry), 0);
    assertThat(take(acks, afterEntry)).allSatisfy(ack -> assertThat(ack)
        .isInstanceOfSatisfying(IngestAck.class, a -> assertThat(a.getOutcome()).isEqualTo(IngestAck.Outcome.ACCEPTED)));

    LinkedBlockingQueue<Object> carts = new LinkedBlockingQueue<>();
    CartServiceGrpc.newStub(alicesApp).watchCart(WatchCartRequest.newBuilder().setVisitId(visit.value()).build(),
        recorder(carts));
    assertThat(carts.poll(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(Cart.class,
        cart -> assertThat(cart.getLinesList()).isEmpty());

    send(ingest, events.subList(afterEntry, events.size()), afterEntry);
    ingest.onCompleted();
    assertThat(take(acks, events.size() - afterEntry + 1)).last().isEqualTo("completed");

    List<Cart> watched = new ArrayList<>();
    for (Object next = carts.poll(10, TimeUnit.SECONDS); !"completed".equals(next);
        next = carts.poll(10, TimeUnit.SECONDS)) {
      assertThat(next).as("the watch goes on until the visit is settled").isInstanceOf(Cart.class);
      watched.add((Cart) next);
    }
    // Every change is sent at most once, in order; the final cart repeats the last state with final set.
    assertThat(watched).extracting(Cart::getVersion).isSorted();
    assertThat(watched.subList(0, watched.size() - 1)).extracting(Cart::getVersion).doesNotHaveDuplicates();
    Cart last = watched.get(watched.size() - 1);
    assertThat(last.getVersion()).isPositive();
    assertThat(last.getFinal()).isTrue();
    assertThat(last.getConfident()).isTrue();
    assertThat(last.getLinesList()).extracting(CartLine::getSku, CartLine::getQuantity)
        .containsExactly(Tuple.tuple("0001", 1), Tuple.tuple("0003", 2));
    assertThat(watched.subList(0, watched.size() - 1)).noneMatch(Cart::getFinal);

    assertThat(injector.getInstance(VisitPayments.class).awaitIdle(Duration.ofSeconds(10))).isTrue();
    Receipt receipt = ReceiptServiceGrpc.newBlockingStub(alicesApp)
        .getReceipt(GetReceiptRequest.newBuilder().setVisitId(visit.value()).build());
    assertThat(receipt.getStatus()).as("held because %s", receipt.getReasonsList())
        .isEqualTo(dev.jwo.payments.v1.Status.CHARGED);
    assertThat(receipt.getLinesList()).extracting(ReceiptLine::getSku, ReceiptLine::getQuantity)
        .containsExactly(Tuple.tuple("0001", 1), Tuple.tuple("0003", 2));
    assertThat(receipt.getTotal().getMinor()).isEqualTo(199 + 2 * 279);
    assertThat(receipt.getCredentialPseudonym())
        .isEqualTo(injector.getInstance(dev.jwo.compliance.keys.Subjects.class).of(Credential.of("c-alice")));

    Session session = SessionServiceGrpc.newBlockingStub(alicesApp)
        .getSession(GetSessionRequest.newBuilder().setVisitId(visit.value()).build());
    assertThat(session.getState()).isEqualTo(Session.State.SETTLED);
    assertThat(session.getMembersSeen()).isEqualTo(1);
    assertThat(session.getMembersExited()).isEqualTo(1);
    assertThat(session.getExitTsMs()).isEqualTo(receipt.getExitTsMs()).isPositive();
  }

  private static void send(StreamObserver<SensorEventMessage> ingest, List<SensorEvent> events, long firstSequence) {
    long sequence = firstSequence;
    for (SensorEvent event : events) {
      ingest.onNext(SensorEventProtos.toProto(event, "gw-1", sequence++));
    }
  }

  private static List<Object> take(LinkedBlockingQueue<Object> queue, int count) throws InterruptedException {
    List<Object> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Object next = queue.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("message %s of %s", i + 1, count).isNotNull();
      taken.add(next);
    }
    return taken;
  }

  private static <T> StreamObserver<T> recorder(LinkedBlockingQueue<Object> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        into.add(value);
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
}
