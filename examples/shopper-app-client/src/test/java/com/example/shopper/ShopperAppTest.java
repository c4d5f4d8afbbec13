package com.example.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.cart.v1.Cart;
import dev.jwo.core.Credential;
import dev.jwo.core.event.SensorEvent;
import dev.jwo.core.grpc.GrpcServerSettings;
import dev.jwo.core.grpc.JwoGrpcServer;
import dev.jwo.core.grpc.SensorEventProtos;
import dev.jwo.core.security.CallerAuthentication;
import dev.jwo.core.security.Role;
import dev.jwo.core.security.TokenIssuer;
import dev.jwo.core.v1.Heartbeat;
import dev.jwo.core.v1.IngestAck;
import dev.jwo.core.v1.SensorEventMessage;
import dev.jwo.core.v1.SensorIngestServiceGrpc;
import dev.jwo.payments.settlement.VisitPayments;
import dev.jwo.payments.v1.ContestReason;
import dev.jwo.payments.v1.ContestReceiptLineResponse;
import dev.jwo.payments.v1.Receipt;
import dev.jwo.payments.v1.ReceiptLine;
import dev.jwo.server.StoreModules;
import dev.jwo.testing.scenario.StoreScript;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The app scans in over gRPC and watches its cart while a sensor gateway streams what the store's cameras and
 * shelves see: the app sees the item arrive, then the final cart when the shopper has left.
 */
class ShopperAppTest {
  static final long START = 1_764_410_400_000L;

  /** The store's wall clock, kept where the gateway's events are: a real gateway sends what it sees as it sees it. */
  final AtomicLong now = new AtomicLong(START);
  final Clock storeClock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };
  StoreScript script;
  Injector injector;
  JwoGrpcServer server;
  ManagedChannel channel;
  TokenIssuer callers;

  @BeforeEach
  void startStore() {
    script = new StoreScript(StoreScript.smallStore("app-001", "US-IL"), START, 2);
    String name = "shopper-app-" + UUID.randomUUID();
    callers = TokenIssuer.withNewKey(script.layout().storeId().value(), storeClock);
    injector = Guice.createInjector(StoreModules.forStore(script.layout(), binder -> {
      OptionalBinder.newOptionalBinder(binder, GrpcServerSettings.class)
          .setBinding().toInstance(GrpcServerSettings.inProcess(name));
      OptionalBinder.newOptionalBinder(binder, Clock.class)
          .setBinding().toInstance(storeClock);
      OptionalBinder.newOptionalBinder(binder, CallerAuthentication.class)
          .setBinding().toInstance(callers.authentication());
    }));
    server = injector.getInstance(JwoGrpcServer.class).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stopStore() {
    channel.shutdownNow();
    server.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void appSeesItsCartChangeLiveAndThenTheFinalCart() throws Exception {
    script.shopper("c-app-user", 0).admittedElsewhere().take("A1-2", 1).take("A1-1", 1);
    ShopperApp app = new ShopperApp(callers.shopper("app-install-1", Credential.of("c-app-user")).on(channel));

    String visit = app.admit("in-1", "c-app-user", 1);
    List<Cart> seen = new CopyOnWriteArrayList<>();
    ShopperApp.CartWatch watch = app.watch(visit, seen::add);
    streamSensors(script.events());

    assertThat(watch.awaitFinal(30, TimeUnit.SECONDS)).isTrue();
    Cart last = seen.get(seen.size() - 1);
    assertThat(last.getFinal()).isTrue();
    assertThat(last.getLinesList()).extracting(l -> l.getSku() + " x" + l.getQuantity())
        .containsExactly("0001 x1", "0002 x1");
    assertThat(last.getTotal().getMinor()).isEqualTo(199 + 349);
    assertThat(seen).as("the item taken first was shown before the second").anySatisfy(cart ->
        assertThat(cart.getLinesList()).extracting(l -> l.getSku()).containsExactly("0002"));
    assertThat(seen).extracting(Cart::getVersion).isSorted();
  }

  @Test
  void appContestsALineAndShowsTheAmendedReceipt() throws Exception {
    script.shopper("c-app-user", 0).admittedElsewhere().take("A1-2", 1).take("A1-1", 1);
    ShopperApp app = new ShopperApp(callers.shopper("app-install-1", Credential.of("c-app-user")).on(channel));
    String visit = app.admit("in-1", "c-app-user", 1);
    ShopperApp.CartWatch watch = app.watch(visit, cart -> { });
    streamSensors(script.events());
    assertThat(watch.awaitFinal(30, TimeUnit.SECONDS)).isTrue();
    Receipt charged = awaitCaptured(app, visit);
    int water = charged.getLinesList().stream().map(ReceiptLine::getSku).toList().indexOf("0001");

    ContestReceiptLineResponse answer = app.contest(charged, water, 1, ContestReason.NOT_TAKEN, "put it back");
    ContestReceiptLineResponse retried = app.contest(charged, water, 1, ContestReason.NOT_TAKEN, "put it back");

    assertThat(answer.getOutcome()).isEqualTo(ContestReceiptLineResponse.Outcome.REFUNDED);
    assertThat(retried.getDisputeId()).isEqualTo(answer.getDisputeId());
    Receipt amended = app.receipt(visit);
    assertThat(amended.getVersion()).isEqualTo(2);
    assertThat(amended.getLinesList()).extracting(ReceiptLine::getSku).containsExactly("0002");
    assertThat(amended.getTotal().getMinor()).isEqualTo(349);
    assertThat(ShopperApp.describe(amended)).isEqualTo(
        "receipt v2 (CHARGED): 1 x 0002 = USD 3.49 [refund " + answer.getDisputeId() + " of USD 1.99 for 0001 x1"
            + " (not taken)]");
    assertThat(app.receiptVersions(visit)).extracting(Receipt::getVersion).containsExactly(1, 2);
    assertThat(app.receiptVersions(visit).get(0).getTotal().getMinor()).isEqualTo(199 + 349);
  }

  @Test
  void appContestsALineAsNotTakenAndShowsWhatItSawTheAnswerAndTheReceiptNow() throws Exception {
    script.shopper("c-app-user", 0).admittedElsewhere().take("A1-1", 1);
    ShopperApp app = new ShopperApp(callers.shopper("app-install-1", Credential.of("c-app-user")).on(channel));
    String visit = app.admit("in-1", "c-app-user", 1);
    ShopperApp.CartWatch watch = app.watch(visit, cart -> { });
    streamSensors(script.events());
    assertThat(watch.awaitFinal(30, TimeUnit.SECONDS)).isTrue();
    awaitCaptured(app, visit);

    List<String> shown = app.contestNotTaken(visit, 0, 1, "never took it");

    assertThat(shown).hasSize(3);
    assertThat(shown.get(0)).isEqualTo("contested: receipt v1 (CHARGED): 1 x 0001 = USD 1.99");
    assertThat(shown.get(1)).startsWith("answer: REFUNDED (dispute ").endsWith(", USD 1.99)");
    assertThat(shown.get(2)).startsWith("now: receipt v2 (CHARGED): = USD 0.00 [refund ");
  }

  /** Waits until the settled visit's payment is done (payments run on their own worker), then reads the receipt. */
  private Receipt awaitCaptured(ShopperApp app, String visit) throws InterruptedException {
    assertThat(injector.getInstance(VisitPayments.class).awaitIdle(Duration.ofSeconds(30))).isTrue();
    Receipt receipt = app.receipt(visit);
    assertThat(receipt.getStatus()).isEqualTo(dev.jwo.payments.v1.Status.CHARGED);
    return receipt;
  }

  /** Streams events as a sensor gateway would, then a heartbeat that lets the store finish the visit. */
  private void streamSensors(List<SensorEvent> events) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<SensorEventMessage> gateway = SensorIngestServiceGrpc.newStub(callers.as(channel, Role.SENSOR_GATEWAY))
        .ingest(new StreamObserver<IngestAck>() {
          @Override
          public void onNext(IngestAck ack) {
            assertThat(ack.getOutcome()).as(ack.getMessage()).isEqualTo(IngestAck.Outcome.ACCEPTED);
          }

          @Override
          public void onError(Throwable t) {
            done.countDown();
          }

          @Override
          public void onCompleted() {
            done.countDown();
          }
        });
    long sequence = 0;
    for (SensorEvent event : events) {
      now.accumulateAndGet(event.ts(), Math::max);
      gateway.onNext(SensorEventProtos.toProto(event, "gateway-1", ++sequence));
    }
    long finalBeat = events.get(events.size() - 1).ts() + 10_000;
    now.set(finalBeat);
    gateway.onNext(SensorEventMessage.newBuilder().setSource("gateway-1").setSequence(++sequence)
        .setTsMs(finalBeat).setHeartbeat(Heartbeat.getDefaultInstance()).build());
    gateway.onCompleted();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
  }
}
